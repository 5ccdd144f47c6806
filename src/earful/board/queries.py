"""What the public pages read: the board filtered and sorted, and the roadmap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from .models import Category, Idea, Status
from .text_search import matching_mention_ids

SORTS = {
    "newest": "Newest",
    "top": "Most votes",
    "trending": "Trending",
    "oldest": "Oldest",
}
TRENDING_DAYS = 14
# Trending: votes of the last 14 days, a recent vote weighing more than an older one.
TRENDING_WEIGHTS = ((2, 4), (7, 2), (TRENDING_DAYS, 1))  # (within days, weight)
ROADMAP_COLUMN = 50


def live_ideas() -> QuerySet[Idea]:
    return Idea.objects.filter(state=Idea.State.PUBLISHED, merged_into__isnull=True)


@dataclass
class BoardFilter:
    """The board's search: every given part narrows the list, and they combine."""

    text: str = ""
    status: Status | None = None
    category: Category | None = None
    sort: str = "newest"
    errors: list[str] = field(default_factory=list)


def _trending(ideas: QuerySet[Idea], now) -> QuerySet[Idea]:
    since = now - timedelta(days=TRENDING_DAYS)
    weight = Case(
        *(
            When(votes__created_at__gte=now - timedelta(days=days), then=Value(w))
            for days, w in TRENDING_WEIGHTS
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ideas.annotate(
        trend=Sum(weight, filter=Q(votes__created_at__gte=since), default=0),
        recent_votes=Count("votes", filter=Q(votes__created_at__gte=since)),
    ).order_by("-trend", "-vote_count", "-created_at", "-id")


def filtered_ideas(board_filter: BoardFilter, now=None) -> QuerySet[Idea]:
    """Live ideas matching every part of the filter, in its order. A malformed text query
    is reported in board_filter.errors and matches nothing."""
    ideas = live_ideas().select_related("status", "category")
    if board_filter.status is not None:
        ideas = ideas.filter(status=board_filter.status)
    if board_filter.category is not None:
        ideas = ideas.filter(category=board_filter.category)
    if board_filter.text.strip():
        try:
            mention_ids = matching_mention_ids(board_filter.text)
        except ValueError as exc:
            board_filter.errors.append(f"The search does not read: {exc}")
            return ideas.none()
        ideas = ideas.filter(mention_id__in=mention_ids)
    sort = board_filter.sort if board_filter.sort in SORTS else "newest"
    if sort == "top":
        return ideas.order_by("-vote_count", "-created_at", "-id")
    if sort == "oldest":
        return ideas.order_by("created_at", "id")
    if sort == "trending":
        return _trending(ideas, now or timezone.now())
    return ideas.order_by("-created_at", "-id")


@dataclass
class RoadmapColumn:
    status: Status
    ideas: list[Idea]
    total: int


def roadmap() -> list[RoadmapColumn]:
    """Each status of the active kind, in order, with its live ideas, most votes first."""
    columns = []
    for status in Status.objects.filter(kind=Status.Kind.ACTIVE).order_by("order", "id"):
        ideas = live_ideas().filter(status=status).select_related("category")
        columns.append(
            RoadmapColumn(
                status=status,
                ideas=list(ideas.order_by("-vote_count", "-created_at")[:ROADMAP_COLUMN]),
                total=ideas.count(),
            )
        )
    return columns
