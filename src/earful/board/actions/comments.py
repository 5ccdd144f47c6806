"""Comments on ideas: customers' (rate limited, spam held for a moderator), staff's
(published at once, marked as the company's), and moderation."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from earful.blog import comment_checks as checks
from earful.blog.markdown import render_comment

from .. import rate_limits
from ..models import Idea, IdeaComment
from ..permissions import can_manage, is_signed_in
from ..river_link import comment_entered, withdraw

MAX_BODY = 10_000


class CommentError(ValueError):
    """The comment cannot be taken; the message says why, in words for its writer."""


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentError("The comment is empty.")
    if len(body) > MAX_BODY:
        raise CommentError(f"A comment is at most {MAX_BODY:,} characters.")
    if "\x00" in body:
        raise CommentError("The comment contains a null character.")
    return body


def _open_for_comments(idea: Idea) -> None:
    if idea.merged_into_id is not None:
        raise CommentError(f"This idea was merged into #{idea.merged_into_id}; comment there.")
    if idea.state != Idea.State.PUBLISHED:
        raise CommentError("This idea is not published.")


def _published(comment: IdeaComment) -> None:
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    comment_entered(comment)


def comment_on_idea(idea: Idea, user, body: str, now=None) -> IdeaComment:
    """A signed-in person's comment: published, or held when it looks like spam. Staff who
    manage ideas write as the company. Raises CommentError with the reason otherwise."""
    if not is_signed_in(user):
        raise CommentError("Sign in to comment.")
    _open_for_comments(idea)
    body = _clean_body(body)
    if can_manage(user):
        return staff_comment(idea, user, body)
    digest = checks.hash_of(body)
    if IdeaComment.objects.filter(idea=idea, user=user, content_hash=digest).exists():
        raise CommentError("You already posted this comment on this idea.")
    if not rate_limits.take_comment(user.pk):
        raise CommentError("You are commenting quickly; please wait a minute and try again.")
    score = checks.spam_score(body)
    held = [checks.SPAM] if checks.is_spam(score) else []
    with transaction.atomic():
        comment = IdeaComment.objects.create(
            idea=idea,
            user=user,
            body=body,
            body_html=render_comment(body),
            status=IdeaComment.Status.PENDING if held else IdeaComment.Status.PUBLISHED,
            held_for=held,
            spam_score=score,
            content_hash=digest,
            created_at=now or timezone.now(),
        )
        if not held:
            _published(comment)
    return comment


def staff_comment(idea: Idea, user, body: str) -> IdeaComment:
    """A comment by the company, published at once and marked as staff: from the idea page
    or as a reply from the console's inbox."""
    if not can_manage(user):
        raise CommentError("Only staff who manage ideas can answer as the company.")
    _open_for_comments(idea)
    body = _clean_body(body)
    with transaction.atomic():
        comment = IdeaComment.objects.create(
            idea=idea,
            user=user,
            body=body,
            body_html=render_comment(body),
            status=IdeaComment.Status.PUBLISHED,
            staff=True,
            content_hash=checks.hash_of(body),
        )
        _published(comment)
    return comment


MODERATION = {"approve": IdeaComment.Status.PUBLISHED, "remove": IdeaComment.Status.REMOVED}


def moderate_comment(comment: IdeaComment, action: str, user) -> IdeaComment:
    """Staff publish a held comment or remove one; the idea's comment count follows."""
    if not can_manage(user):
        raise CommentError("Only staff who manage ideas can moderate comments.")
    if action not in MODERATION:
        raise CommentError(f"Unknown moderation action {action!r}; use {', '.join(MODERATION)}.")
    status = MODERATION[action]
    was_published = comment.status == IdeaComment.Status.PUBLISHED
    if status == comment.status:
        return comment
    with transaction.atomic():
        comment.status = status
        comment.held_for = []
        comment.save(update_fields=["status", "held_for"])
        if status == IdeaComment.Status.PUBLISHED:
            _published(comment)
        elif was_published:
            Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
    if status != IdeaComment.Status.PUBLISHED:
        withdraw(comment)
    return comment
