"""Evidence: staff link a mention from any channel (a toot, a blog comment, a forum post,
a row of an import) to the idea it raises; the idea then counts its voices and shows the
best quotes, and the changelog entry links the mentions when the idea is done."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from earful.river.models import Mention

from ..models import Evidence, Idea
from ..permissions import can_manage
from .ideas import IdeaError


def _check(idea: Idea, user) -> None:
    if not can_manage(user):
        raise IdeaError("Only staff who manage ideas can link evidence.")
    if idea.merged_into_id is not None:
        raise IdeaError(f"#{idea.pk} was merged into #{idea.merged_into_id}; link it there.")
    if idea.state == Idea.State.REMOVED:
        raise IdeaError(f"#{idea.pk} was removed.")


def link_evidence(idea: Idea, mention: Mention, user, *, quote: bool = False) -> bool:
    """Link the mention to the idea (marked as a best quote if `quote`); False if it was
    linked already (the quote mark is then set if asked for)."""
    _check(idea, user)
    try:
        with transaction.atomic():
            Evidence.objects.create(idea=idea, mention=mention, quote=quote, linked_by=user)
    except IntegrityError:
        if quote:
            Evidence.objects.filter(idea=idea, mention=mention).update(quote=True)
        return False
    return True


def unlink_evidence(idea: Idea, mention: Mention, user) -> bool:
    """Take the link away; False if there was none."""
    if not can_manage(user):
        raise IdeaError("Only staff who manage ideas can unlink evidence.")
    deleted, _ = Evidence.objects.filter(idea=idea, mention=mention).delete()
    return bool(deleted)


def mark_quote(idea: Idea, mention: Mention, user, quote: bool) -> bool:
    """Pin the linked mention as one of the idea's best quotes, or unpin it; False if the
    mention is not linked to the idea."""
    _check(idea, user)
    return bool(Evidence.objects.filter(idea=idea, mention=mention).update(quote=quote))
