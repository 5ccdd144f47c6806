"""What the author sees of a post's linkbacks out: one row per link, with its last result."""

from __future__ import annotations

from collections import Counter

from .models import OutgoingLink, Post


def outgoing_links(post: Post) -> list[OutgoingLink]:
    """The post's outgoing links: those still in the post first, each in the order found."""
    return list(OutgoingLink.objects.filter(post=post).order_by("-still_linked", "id"))


def outgoing_summary(post: Post) -> dict[str, int]:
    """How many of the post's links are in each status: {"sent": 3, "failed": 1, ...}."""
    return dict(Counter(OutgoingLink.objects.filter(post=post).values_list("status", flat=True)))
