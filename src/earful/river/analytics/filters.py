"""The dashboard's and search's filters, parsed from a query string with clear errors."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from django.http import QueryDict

from ..models import Mention, Source, Topic

DEFAULT_DAYS = 30
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class MentionFilter:
    start: date  # first day, inclusive (UTC)
    end: date  # last day, inclusive (UTC)
    topics: tuple[int, ...] = ()
    sources: tuple[int, ...] = ()
    sentiments: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    include_spam: bool = False
    all_time: bool = False  # no date condition at all (search without dates)
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def previous_period(self) -> MentionFilter:
        """The period of the same length just before this one, other filters unchanged."""
        return replace(self, start=self.start - timedelta(self.days), end=self.start - timedelta(1))

    def widened(self, days_before: int) -> MentionFilter:
        return replace(self, start=self.start - timedelta(days_before))

    def as_query(self) -> list[tuple[str, str]]:
        """The filter as query string pairs (for links that keep it)."""
        pairs = []
        if not self.all_time:
            pairs += [("start", self.start.isoformat()), ("end", self.end.isoformat())]
        pairs += [("topic", str(t)) for t in self.topics]
        pairs += [("source", str(s)) for s in self.sources]
        pairs += [("sentiment", s or Mention.NOT_SCORED_NAME) for s in self.sentiments]
        pairs += [("language", lang or "und") for lang in self.languages]
        if self.include_spam:
            pairs.append(("spam", "1"))
        return pairs


def _day(value: str, name: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{name} {value[:40]!r} is not a date like 2026-11-23")
        return None


def _ids(values: list[str], known: set[int], name: str, errors: list[str]) -> tuple[int, ...]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except ValueError:
            errors.append(f"{name} {value[:40]!r} is not a number")
            continue
        if number not in known:
            errors.append(f"there is no {name} {number}")
            continue
        if number not in ids:
            ids.append(number)
    return tuple(ids)


def parse_filter(
    params: QueryDict, today: date | None = None, *, all_time_by_default: bool = False
) -> MentionFilter:
    """A filter from query parameters. Bad values are left out and explained in `errors`,
    so a mistyped link still shows a page rather than an error. Without dates the period
    is the last 30 days, or all time if `all_time_by_default` (search)."""
    errors: list[str] = []
    all_time = all_time_by_default and not params.get("start") and not params.get("end")
    today = today or datetime.now(UTC).date()
    end = _day(params.get("end", ""), "end", errors) or today
    start = _day(params.get("start", ""), "start", errors) or end - timedelta(DEFAULT_DAYS - 1)
    if start > end:
        errors.append("the start is after the end; showing the 30 days up to the end")
        start = end - timedelta(DEFAULT_DAYS - 1)
    if (end - start).days + 1 > MAX_DAYS:
        errors.append(f"periods are at most {MAX_DAYS} days; showing the last {MAX_DAYS}")
        start = end - timedelta(MAX_DAYS - 1)
    topics = _ids(
        params.getlist("topic"), set(Topic.objects.values_list("id", flat=True)), "topic", errors
    )
    sources = _ids(
        params.getlist("source"), set(Source.objects.values_list("id", flat=True)), "source",
        errors,
    )  # fmt: skip
    sentiments = []
    for value in params.getlist("sentiment"):
        if value == Mention.NOT_SCORED_NAME:
            value = Mention.NOT_SCORED
        elif value not in Mention.Sentiment.values:
            errors.append(
                f"sentiment {value[:40]!r} is not one of positive, neutral, negative, unscored"
            )
            continue
        if value not in sentiments:
            sentiments.append(value)
    languages = []
    for value in params.getlist("language"):
        value = value.strip().lower()[:12]
        if value and value not in languages:
            languages.append("" if value == "und" else value)
    return MentionFilter(
        start=start,
        end=end,
        topics=topics,
        sources=sources,
        sentiments=tuple(sentiments),
        languages=tuple(languages),
        include_spam=params.get("spam", "") in ("1", "on", "true"),
        all_time=all_time,
        errors=tuple(errors),
    )
