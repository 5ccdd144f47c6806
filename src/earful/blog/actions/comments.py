"""Comments: submit (with moderation), edit, moderate, staff replies, closing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import comment_checks as checks
from .. import rate_limits
from ..markdown import plain_text, render_comment
from ..models import Comment, ModerationLog, Post
from ..river_link import comment_entered, withdraw

MAX_BODY = 10_000
MAX_NAME = 100
MAX_DEPTH = 6  # replies nest this deep at most; deeper replies attach to the 6th level


class CommentError(ValueError):
    """The comment cannot be taken; the message says why, in words for its writer."""


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("accounts.moderate_comments"))


def _clean_fields(body: str, name: str, email: str, website: str, user) -> tuple[str, ...]:
    body = (body or "").strip()
    if not body:
        raise CommentError("The comment is empty.")
    if len(body) > MAX_BODY:
        raise CommentError(f"A comment is at most {MAX_BODY:,} characters.")
    if "\x00" in body:
        raise CommentError("The comment contains a null character.")
    if user is not None and user.is_authenticated:
        name = name.strip() or user.get_full_name() or user.get_username()
        email = email.strip() or user.email
    else:
        name, email = (name or "").strip(), (email or "").strip()
        if not name:
            raise CommentError("Please give a name.")
        if not email:
            raise CommentError("Please give an e-mail address (it is never shown).")
    if len(name) > MAX_NAME:
        raise CommentError(f"A name is at most {MAX_NAME} characters.")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            raise CommentError("That e-mail address does not look right.") from exc
    website = (website or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError as exc:
            raise CommentError("The website must be an http(s) address.") from exc
    return body, name, email.lower(), website


def _depth(comment: Comment) -> int:
    depth = 1
    while comment.parent_id and depth <= MAX_DEPTH:
        comment = comment.parent
        depth += 1
    return depth


def held_for(post: Post, body: str, email: str, user, website: str) -> tuple[list[str], float]:
    """The reasons moderation holds this comment (none: it is published), and its spam score."""
    reasons = []
    if user is not None and user.is_authenticated:
        writer = Q(user=user) | Q(email=email) if email else Q(user=user)
    else:
        writer = Q(email=email)
    if not Comment.objects.filter(writer, status=Comment.Status.PUBLISHED).exists():
        reasons.append(checks.FIRST_COMMENT)
    if checks.has_links(body):
        reasons.append(checks.HAS_LINKS)
    score = checks.spam_score(body, website)
    if checks.is_spam(score):
        reasons.append(checks.SPAM)
    digest = checks.hash_of(body)
    earlier = Comment.objects.exclude(status=Comment.Status.REMOVED)
    if earlier.filter(content_hash=digest).exists():
        reasons.append(checks.DUPLICATE)
    else:
        others = list(earlier.filter(post=post).values_list("body", flat=True)[:1000])
        others += earlier.order_by("-id").values_list("body", flat=True)[: checks.RECENT_COMMENTS]
        if checks.nearly_the_same(body, others):
            reasons.append(checks.NEAR_DUPLICATE_REASON)
    return reasons, score


def submit_comment(
    post: Post,
    *,
    body: str,
    name: str = "",
    email: str = "",
    website: str = "",
    user=None,
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    now=None,
) -> Comment:
    """Take a reader's comment: published at once, or held with the reasons why."""
    now = now or timezone.now()
    if not post.comments_open(now):
        raise CommentError("Comments are closed on this post.")
    if parent is not None:
        if parent.post_id != post.pk:
            raise CommentError("The comment you answer is on another post.")
        if parent.status != Comment.Status.PUBLISHED:
            raise CommentError("The comment you answer is not published.")
        while _depth(parent) > MAX_DEPTH:
            parent = parent.parent
    body, name, email, website = _clean_fields(body, name, email, website, user)
    staff = _is_staff(user)
    if ip_address and not staff and not rate_limits.take_comment(ip_address):
        raise CommentError("You are commenting too fast: please wait a minute and send it again.")
    if staff:
        reasons, score = [], checks.spam_score(body, website)
    else:
        reasons, score = held_for(post, body, email, user, website)
    if checks.SPAM in reasons:
        status = Comment.Status.SPAM
    elif reasons:
        status = Comment.Status.PENDING
    else:
        status = Comment.Status.PUBLISHED
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            user=user if user is not None and user.is_authenticated else None,
            name=name,
            email=email,
            website=website,
            body=body,
            body_html=render_comment(body),
            status=status,
            held_for=reasons,
            staff=staff,
            spam_score=score,
            content_hash=checks.hash_of(body),
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:300],
            created_at=now,
        )
        if status != Comment.Status.PUBLISHED:
            ModerationLog.objects.create(comment=comment, action="held", detail="; ".join(reasons))
    if status == Comment.Status.PUBLISHED:
        comment_entered(comment)
    return comment


def can_edit(comment: Comment, user=None, session_ids=(), now=None) -> bool:
    """Writers may edit their comment for EARFUL_BLOG_EDIT_MINUTES: a signed-in writer by
    account, a guest from the browser session that wrote it."""
    now = now or timezone.now()
    if comment.status in (Comment.Status.REMOVED, Comment.Status.SPAM):
        return False
    if now - comment.created_at > timedelta(minutes=settings.EARFUL_BLOG_EDIT_MINUTES):
        return False
    if comment.user_id:
        return bool(user and user.is_authenticated and user.pk == comment.user_id)
    return comment.pk in set(session_ids)


def edit_comment(comment: Comment, body: str, user=None, session_ids=(), now=None) -> Comment:
    now = now or timezone.now()
    if not can_edit(comment, user, session_ids, now):
        raise CommentError(
            f"A comment can only be edited by its writer, within "
            f"{settings.EARFUL_BLOG_EDIT_MINUTES} minutes."
        )
    body, *_ = _clean_fields(body, comment.name, comment.email or "x@example.org", "", None)
    was_published = comment.status == Comment.Status.PUBLISHED
    new_reasons = []
    if not comment.staff:
        if checks.has_links(body) and not checks.has_links(comment.body):
            new_reasons.append(checks.HAS_LINKS)
        score = checks.spam_score(body, comment.website)
        if checks.is_spam(score):
            new_reasons.append(checks.SPAM)
        comment.spam_score = score
    comment.body = body
    comment.body_html = render_comment(body)
    comment.content_hash = checks.hash_of(body)
    comment.edited_at = now
    if new_reasons:
        comment.status = (
            Comment.Status.SPAM if checks.SPAM in new_reasons else Comment.Status.PENDING
        )
        comment.held_for = new_reasons
    comment.save()
    ModerationLog.objects.create(comment=comment, action="edited", user=_user(user))
    if comment.status == Comment.Status.PUBLISHED:
        comment_entered(comment)
    elif was_published:
        withdraw(comment)
    return comment


def _user(user):
    return user if user is not None and user.is_authenticated else None


MODERATION = {
    "approve": Comment.Status.PUBLISHED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
    "hold": Comment.Status.PENDING,
}


def moderate_comment(comment: Comment, action: str, user, reason: str = "") -> Comment:
    if action not in MODERATION:
        raise CommentError(f"unknown moderation action {action!r}; use {', '.join(MODERATION)}")
    status = MODERATION[action]
    with transaction.atomic():
        comment.status = status
        comment.moderated_by = _user(user)
        comment.moderated_at = timezone.now()
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
        ModerationLog.objects.create(
            comment=comment, action=action, detail=reason[:1000], user=_user(user)
        )
    if status == Comment.Status.PUBLISHED:
        comment_entered(comment)
    else:
        withdraw(comment)
    return comment


def moderate_comments(ids, action: str, user) -> int:
    done = 0
    for comment in Comment.objects.filter(pk__in=list(ids)).select_related("post"):
        moderate_comment(comment, action, user)
        done += 1
    return done


def staff_reply(post: Post, user, body: str, parent: Comment | None = None) -> Comment:
    """A reply by the company, published at once and marked as staff. Staff may answer
    on a post whose comments are closed to readers."""
    if not post.is_live:
        raise CommentError("The post is not published.")
    if parent is not None and parent.post_id != post.pk:
        raise CommentError("The comment you answer is on another post.")
    body, name, email, _ = _clean_fields(body, "", "", "", user)
    comment = Comment.objects.create(
        post=post,
        parent=parent,
        user=user,
        name=name,
        email=email,
        body=body,
        body_html=render_comment(body),
        status=Comment.Status.PUBLISHED,
        staff=True,
        content_hash=checks.hash_of(body),
    )
    comment_entered(comment)
    return comment


def summary_of(comment: Comment, chars: int = 200) -> str:
    text = plain_text(comment.body_html)
    return text if len(text) <= chars else text[: chars - 1] + "…"
