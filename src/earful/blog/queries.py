"""What the public pages read: live posts, and a post's comments as a flat thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Comment, Post


def live_posts() -> QuerySet[Post]:
    return (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())
        .select_related("author", "cover")
        .prefetch_related("tags")
        .annotate(
            comment_count=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED))
        )
        .order_by("-published_at", "-id")
    )


THREAD_FIELDS = (
    "id", "parent_id", "name", "website", "body_html", "staff", "created_at", "edited_at",
    "user_id",
)  # fmt: skip


@dataclass(slots=True)
class ThreadEntry:
    comment: Any  # a named tuple of THREAD_FIELDS: rows, not models, for speed
    depth: int  # 0 for a comment on the post itself


def thread(post: Post) -> list[ThreadEntry]:
    """Published comments in reading order: each followed by its replies, oldest first.
    One query and one pass, so a post with hundreds of comments stays quick. A reply
    whose parent is not published (held or removed) is shown at the top level."""
    comments = list(
        Comment.objects.filter(post=post, status=Comment.Status.PUBLISHED)
        .order_by("created_at", "id")
        .values_list(*THREAD_FIELDS, named=True)
    )
    ids = {comment.id for comment in comments}
    children: dict[int | None, list] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in ids else None
        children.setdefault(parent, []).append(comment)
    entries: list[ThreadEntry] = []
    stack = [(comment, 0) for comment in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        entries.append(ThreadEntry(comment, depth))
        stack.extend((reply, depth + 1) for reply in reversed(children.get(comment.id, [])))
    return entries
