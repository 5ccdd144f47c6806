"""What the public pages read: the board filtered and sorted, and the roadmap."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import Category, Idea, Status
from .text_search import idea_condition

SORTS = {
    "newest": "Newest",
    "top": "Most votes",
    "trending": "Trending",
    "oldest": "Oldest",
}
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
            condition = idea_condition(board_filter.text)
        except ValueError as exc:
            board_filter.errors.append(f"The search does not read: {exc}")
            return ideas.none()
        ideas = ideas.filter(condition)
    sort = board_filter.sort if board_filter.sort in SORTS else "newest"
    if sort == "top":
        return ideas.order_by("-vote_count", "-created_at", "-id")
    if sort == "oldest":
        return ideas.order_by("created_at", "id")
    if sort == "trending":
        return ideas.order_by("-trend_score", "-vote_count", "-created_at", "-id")
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
