"""Votes: one per person per idea, kept by the database's unique constraint, so two
clicks at once (two tabs, a double submit, a replayed request) still count once. The
idea's vote_count moves with F() expressions in the same transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import Follow, Idea, Vote
from ..permissions import is_signed_in
from ..river_link import vote_entered, withdraw_mentions
from ..trending import rescore
from .ideas import IdeaError


def refusal(idea: Idea) -> str | None:
    """Why votes are not taken on the idea now, or None."""
    if idea.merged_into_id is not None:
        return f"This idea was merged into #{idea.merged_into_id}; vote there."
    if idea.state != Idea.State.PUBLISHED:
        return "This idea is not published."
    if idea.status.is_closed:
        return f"This idea is closed ({idea.status.name}); it takes no more votes."
    return None


def vote(idea: Idea, user) -> bool:
    """The user votes for the idea and follows it; False if they had already voted."""
    if not is_signed_in(user):
        raise IdeaError("Sign in to vote.")
    reason = refusal(idea)
    if reason:
        raise IdeaError(reason)
    with transaction.atomic():
        try:
            with transaction.atomic():
                cast = Vote.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        Follow.objects.get_or_create(idea=idea, user=user, defaults={"reason": Follow.Reason.VOTER})
        rescore(idea.pk)
    idea.refresh_from_db(fields=["vote_count", "trend_score"])
    vote_entered(cast)
    return True


def unvote(idea: Idea, user) -> bool:
    """The user takes their vote back (they keep following); False if there was none."""
    if not is_signed_in(user):
        raise IdeaError("Sign in to vote.")
    if idea.merged_into_id is not None:
        raise IdeaError(f"This idea was merged into #{idea.merged_into_id}; its votes moved.")
    with transaction.atomic():
        mentions = list(
            Vote.objects.filter(idea=idea, user=user).values_list("mention_id", flat=True)
        )
        deleted, _ = Vote.objects.filter(idea=idea, user=user).delete()
        withdraw_mentions(mentions)
        if deleted:
            Idea.objects.filter(pk=idea.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
            rescore(idea.pk)
    idea.refresh_from_db(fields=["vote_count", "trend_score"])
    return bool(deleted)
