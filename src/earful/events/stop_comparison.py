"""Comparing a tour's stops by what visitors said: feedback volume, average rating and the
sentiment the river gave each submission (Feedback.mention_id -> Mention.sentiment).

The numbers come from one grouped query over the tour's feedback; the stops themselves
(including those nobody wrote about yet) from a second one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery

from earful.river.models import Mention

from .models import Feedback, Stop, Tour

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass
class StopFeedback:
    stop: Stop
    count: int = 0
    rated: int = 0
    average_rating: float | None = None
    sentiment: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SENTIMENTS, 0))

    @property
    def scored(self) -> int:
        """Submissions the river has scored (a mention not stored yet has none)."""
        return sum(self.sentiment.values())

    def share(self, sentiment: str) -> float:
        return self.sentiment[sentiment] / self.scored if self.scored else 0.0

    @property
    def net(self) -> float | None:
        """Positive minus negative share, -1 .. 1 (None without scored feedback)."""
        if not self.scored:
            return None
        return self.share("positive") - self.share("negative")


def _sentiment_is(value: str) -> Exists:
    return Exists(Mention.objects.filter(pk=OuterRef("mention_id"), sentiment=value))


def stop_feedback(tour: Tour) -> list[StopFeedback]:
    """Every stop of the tour in time order, with what its feedback adds up to."""
    grouped = (
        Feedback.objects.filter(stop__tour=tour)
        .order_by()
        .values("stop_id")
        .annotate(
            count=Count("pk"),
            rated=Count("rating"),
            average_rating=Avg("rating"),
            **{name: Count("pk", filter=Q(_sentiment_is(name))) for name in SENTIMENTS},
        )
    )
    totals = {row["stop_id"]: row for row in grouped}
    rows = []
    for stop in tour.stops.order_by("starts_at", "id"):
        row = StopFeedback(stop)
        found = totals.get(stop.pk)
        if found:
            row.count, row.rated = found["count"], found["rated"]
            row.average_rating = found["average_rating"]
            row.sentiment = {name: found[name] for name in SENTIMENTS}
        rows.append(row)
    return rows


def tour_totals(rows: list[StopFeedback]) -> StopFeedback:
    """The whole tour as one row (its stop is None)."""
    total = StopFeedback(stop=None)  # type: ignore[arg-type]
    rating_sum = 0.0
    for row in rows:
        total.count += row.count
        total.rated += row.rated
        rating_sum += (row.average_rating or 0) * row.rated
        for name in SENTIMENTS:
            total.sentiment[name] += row.sentiment[name]
    total.average_rating = rating_sum / total.rated if total.rated else None
    return total


FILTERS = (*SENTIMENTS, "unscored")


def feedback_of(stop: Stop, sentiment: str = "") -> QuerySet[Feedback]:
    """A stop's feedback, newest first, each with the sentiment the river gave it (None
    when not scored yet); `sentiment` keeps one of FILTERS ("unscored": none yet)."""
    given = Mention.objects.filter(pk=OuterRef("mention_id")).values("sentiment")[:1]
    rows = Feedback.objects.filter(stop=stop).annotate(sentiment=Subquery(given))
    if sentiment == "unscored":
        scored = Mention.objects.filter(pk=OuterRef("mention_id"), sentiment__in=SENTIMENTS)
        rows = rows.exclude(Exists(scored))
    elif sentiment:
        rows = rows.filter(_sentiment_is(sentiment))
    return rows.order_by("-created_at", "-id")


def chart_data(rows: list[StopFeedback]) -> dict:
    """What the console's chart draws: one bar per stop, stacked by sentiment, and the
    average rating as a line."""
    labels = [f"{r.stop.starts_at:%d %b} · {r.stop.venue}" for r in rows]
    return {
        "labels": labels,
        **{name: [r.sentiment[name] for r in rows] for name in SENTIMENTS},
        "unscored": [r.count - r.scored for r in rows],
        "rating": [round(r.average_rating, 2) if r.average_rating else None for r in rows],
    }
