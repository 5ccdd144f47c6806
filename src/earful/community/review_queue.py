"""The moderators' review queue, as the review page and the API list it: posts with open
flags and posts hidden without one; held posts, those that look like spam apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from earful.blog.comment_checks import SPAM

from .actions import moderation
from .models import Answer, Comment, Flag, Question, State

QUEUE_LIMIT = 300  # posts per kind shown in one tab


@dataclass
class QueueItem:
    post: Question | Answer | Comment
    kind: str
    label: str
    flags: list[Flag] = field(default_factory=list)

    @property
    def title(self) -> str:
        if isinstance(self.post, Question):
            return self.post.title
        if isinstance(self.post, Answer):
            return f"Answer to “{self.post.question.title}”"
        return "Comment"

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(f.get_reason_display() for f in self.flags))


def _related(model) -> list[str]:
    if model is Answer:
        return ["author", "question"]
    if model is Comment:
        return ["author", "question", "answer"]
    return ["author"]


def flagged_items() -> list[QueueItem]:
    """Posts with open flags, the most flagged first, then the oldest flag first; then the
    posts a moderator hid without a flag, oldest first."""
    flags = (
        Flag.objects.filter(outcome=Flag.Outcome.OPEN)
        .exclude(question__state=State.REMOVED)
        .exclude(answer__state=State.REMOVED)
        .exclude(comment__state=State.REMOVED)
        .select_related("user")
        .order_by("created_at", "id")[: QUEUE_LIMIT * 5]
    )
    grouped: dict[str, list[Flag]] = {}
    wanted: dict[str, set[int]] = {kind: set() for kind in moderation.KINDS}
    for one in flags:
        for kind in moderation.KINDS:
            pk = getattr(one, f"{kind}_id")
            if pk:
                grouped.setdefault(f"{kind}:{pk}", []).append(one)
                wanted[kind].add(pk)
    posts = {}
    for kind, model in moderation.KINDS.items():
        for post in model.objects.filter(pk__in=wanted[kind]).select_related(*_related(model)):
            posts[f"{kind}:{post.pk}"] = post
    items = [
        QueueItem(posts[key], key.partition(":")[0], key, found)
        for key, found in grouped.items()
        if key in posts
    ]
    items.sort(key=lambda item: (-len(item.flags), item.flags[0].created_at))
    unflagged: list[QueueItem] = []
    for kind, model in moderation.KINDS.items():
        rows = (
            model.objects.filter(state=State.HIDDEN)
            .exclude(pk__in=wanted[kind])
            .select_related(*_related(model))
            .order_by("created_at", "id")[:QUEUE_LIMIT]
        )
        unflagged.extend(QueueItem(post, kind, f"{kind}:{post.pk}") for post in rows)
    unflagged.sort(key=lambda item: item.post.created_at)
    return (items + unflagged)[:QUEUE_LIMIT]


def held_items() -> tuple[list[QueueItem], list[QueueItem]]:
    """Held posts, oldest first: (those held for other reasons, those that look like spam)."""
    held: list[QueueItem] = []
    spam: list[QueueItem] = []
    for kind, model in moderation.KINDS.items():
        rows = (
            model.objects.filter(state=State.HELD)
            .select_related(*_related(model))
            .order_by("created_at", "id")[:QUEUE_LIMIT]
        )
        for post in rows:
            item = QueueItem(post, kind, f"{kind}:{post.pk}")
            (spam if SPAM in (post.held_for or []) else held).append(item)
    held.sort(key=lambda item: item.post.created_at)
    spam.sort(key=lambda item: item.post.created_at)
    return held, spam
