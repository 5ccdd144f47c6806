"""Posting rate per member, set by their level (Level.posts_per_hour): questions, answers
and comments together, counted in a fixed one-hour window with the blog's counter (one
cache key per member; see earful.blog.rate_limits for sharing it across processes)."""

from __future__ import annotations

from earful.blog.rate_limits import take_in_window

from .models import Level, Member

DEFAULT_PER_HOUR = 5


def posts_per_hour(user) -> int:
    level = Member.objects.filter(user=user).values_list("level", flat=True).first() or 0
    allowed = (
        Level.objects.filter(number__lte=level)
        .order_by("-number")
        .values_list("posts_per_hour", flat=True)
        .first()
    )
    return DEFAULT_PER_HOUR if allowed is None else allowed


def take_post(user, now: float | None = None) -> bool:
    """Count one post by the user; False when their level's hourly allowance is used up."""
    return take_in_window("community:posts", str(user.pk), (posts_per_hour(user), 3600), now)
