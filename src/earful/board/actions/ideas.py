"""Ideas: submit (validated, spam-checked, rate limited), moderate."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from earful.blog import comment_checks as checks
from earful.blog.markdown import render_comment

from .. import rate_limits
from ..models import Category, Follow, Idea, Status
from ..permissions import can_manage, is_signed_in
from ..river_link import idea_entered, withdraw

MIN_TITLE = 5
MAX_TITLE = 150
MAX_BODY = 10_000


class IdeaError(ValueError):
    """The idea cannot be taken or changed; the message says why, in words for its writer."""


def clean_text(value: str, what: str, *, minimum: int, maximum: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise IdeaError(f"The {what} contains a null character.")
    if len(value) < minimum:
        if not value:
            raise IdeaError(f"The {what} is empty.")
        raise IdeaError(f"The {what} is at least {minimum} characters.")
    if len(value) > maximum:
        raise IdeaError(f"The {what} is at most {maximum:,} characters.")
    return value


def default_status() -> Status:
    status = Status.objects.filter(kind=Status.Kind.OPEN).order_by("order", "id").first()
    if status is None:
        raise IdeaError("The board has no open status for new ideas; staff must add one.")
    return status


def submit_idea(
    user,
    *,
    title: str,
    body: str = "",
    category: Category | None = None,
    now=None,
) -> Idea:
    """Take a customer's idea: published at once, or held when it looks like spam. The
    author follows it. Raises IdeaError with the reason when it cannot be taken."""
    if not is_signed_in(user):
        raise IdeaError("Sign in to post an idea.")
    title = " ".join(clean_text(title, "title", minimum=MIN_TITLE, maximum=MAX_TITLE).split())
    body = clean_text(body, "description", minimum=0, maximum=MAX_BODY)
    if category is not None and not Category.objects.filter(pk=category.pk).exists():
        raise IdeaError("That category does not exist.")
    digest = checks.hash_of(f"{title}\n{body}")
    same = Idea.objects.filter(content_hash=digest, merged_into__isnull=True).exclude(
        state=Idea.State.REMOVED
    )
    if same.exists():
        raise IdeaError(f"This idea is already on the board as #{same.first().pk}; vote there.")
    staff = can_manage(user)
    if not staff and not rate_limits.take_idea(user.pk):
        raise IdeaError("You have posted many ideas in a short time; please wait a while.")
    score = checks.spam_score(f"{title}\n{body}")
    held = [] if staff else [checks.SPAM] if checks.is_spam(score) else []
    now = now or timezone.now()
    with transaction.atomic():
        idea = Idea.objects.create(
            title=title,
            body=body,
            body_html=render_comment(body) if body else "",
            author=user,
            category=category,
            status=default_status(),
            state=Idea.State.HELD if held else Idea.State.PUBLISHED,
            held_for=held,
            spam_score=score,
            content_hash=digest,
            created_at=now,
            updated_at=now,
        )
        Follow.objects.create(idea=idea, user=user, reason=Follow.Reason.AUTHOR)
    if idea.state == Idea.State.PUBLISHED:
        idea_entered(idea)
    return idea


MODERATION = {"approve": Idea.State.PUBLISHED, "remove": Idea.State.REMOVED}


def moderate_idea(idea: Idea, action: str, user) -> Idea:
    """Staff publish a held idea or remove one; a removed idea leaves the river."""
    if not can_manage(user):
        raise IdeaError("Only staff who manage ideas can moderate them.")
    if action not in MODERATION:
        raise IdeaError(f"Unknown moderation action {action!r}; use {', '.join(MODERATION)}.")
    idea.state = MODERATION[action]
    idea.held_for = []
    idea.updated_at = timezone.now()
    idea.save(update_fields=["state", "held_for", "updated_at"])
    if idea.state == Idea.State.PUBLISHED and idea.merged_into_id is None:
        idea_entered(idea)
    else:
        withdraw(idea)
    return idea
