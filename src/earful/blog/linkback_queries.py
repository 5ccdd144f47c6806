"""What the post page shows of its received linkbacks: the published ones, by kind, and
"N blogs link here"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Count

from .models import Linkback, Post

# The order the sections appear in under a post.
KIND_ORDER = [
    Linkback.Kind.REPLY,
    Linkback.Kind.MENTION,
    Linkback.Kind.REPOST,
    Linkback.Kind.LIKE,
    Linkback.Kind.BOOKMARK,
]


@dataclass
class PostLinkbacks:
    items: list[Linkback] = field(default_factory=list)  # published, in KIND_ORDER
    by_kind: dict[str, list[Linkback]] = field(default_factory=dict)  # only non-empty kinds
    sites: int = 0  # distinct sites (hosts) they come from

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def summary(self) -> str:
        """ "3 blogs link here", "1 blog links here", "" when none does."""
        if not self.sites:
            return ""
        return "1 blog links here" if self.sites == 1 else f"{self.sites} blogs link here"


def linkbacks_of(post: Post) -> PostLinkbacks:
    """The post's published linkbacks, grouped by kind (replies first), oldest first."""
    rows = list(
        Linkback.objects.filter(post=post, status=Linkback.Status.PUBLISHED).order_by(
            "published_at", "received_at", "id"
        )
    )
    grouped: dict[str, list[Linkback]] = {}
    for kind in KIND_ORDER:
        matching = [row for row in rows if row.kind == kind]
        if matching:
            grouped[kind] = matching
    sites = {urlsplit(row.source_url).netloc for row in rows}
    items = [row for kind in grouped.values() for row in kind]
    return PostLinkbacks(items=items, by_kind=grouped, sites=len(sites))


def published_counts(post_ids: Iterable[int]) -> dict[int, int]:
    """Published linkbacks per post, for a list of posts, in one query."""
    rows = (
        Linkback.objects.filter(post_id__in=list(post_ids), status=Linkback.Status.PUBLISHED)
        .values("post_id")
        .annotate(n=Count("id"))
    )
    return {row["post_id"]: row["n"] for row in rows}
