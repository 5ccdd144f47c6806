"""Daily counts (DailyCount) kept in step with the mentions they count.

Every write that adds mentions, tags them with a topic or changes their sentiment passes
its changes here in the same transaction, so the dashboard reads a few hundred rows
instead of counting millions. `rebuild_counts` recomputes everything from the mentions
(after a migration, or with `earful rollups --rebuild` if rows were deleted by hand).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import TruncDate

from .models import DailyCount, Mention, MentionTopic

SPAM_THRESHOLD = 0.5  # a spam score at or above this counts (and filters) as spam
ALL_TOPICS = 0

# (day, source id, topic id or ALL_TOPICS, sentiment, language, spam)
CountKey = tuple[date, int, int, str, str, bool]


def utc_day(moment: datetime) -> date:
    return moment.date() if moment.tzinfo is UTC else moment.astimezone(UTC).date()


def count_mention(
    counts: Counter,
    published_at: datetime,
    source_id: int,
    sentiment: str,
    language: str,
    spam_score: float,
    topic_ids: Iterable[int] = (),
    *,
    every_mention: bool = True,
    sign: int = 1,
) -> None:
    """Add one mention to `counts`: to the all-mentions row unless told not to, and to the
    row of each of `topic_ids`."""
    day = utc_day(published_at)
    spam = spam_score >= SPAM_THRESHOLD
    if every_mention:
        counts[(day, source_id, ALL_TOPICS, sentiment, language, spam)] += sign
    for topic_id in topic_ids:
        counts[(day, source_id, topic_id, sentiment, language, spam)] += sign


def add_counts(counts: Counter) -> None:
    """Fold `counts` into the stored rows (upsert; negative counts subtract)."""
    rows = [(key, n) for key, n in counts.items() if n]
    if not rows:
        return
    table = DailyCount._meta.db_table
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (day, source_id, topic_id, sentiment, language, spam, count) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (topic_id, day, source_id, sentiment, language, spam) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            [
                (day.isoformat() if sqlite else day, source, topic, sentiment, language, spam, n)
                for (day, source, topic, sentiment, language, spam), n in rows
            ],
        )


def rebuild_counts(daily_count=DailyCount, mention=Mention, mention_topic=MentionTopic) -> int:
    """Recompute every row from the mentions; returns how many rows were written.

    Takes the models as arguments so that migrations can pass their historical ones.
    """
    spam = Case(When(spam_score__gte=SPAM_THRESHOLD, then=Value(True)), default=Value(False))
    daily_count.objects.all().delete()
    everything = (
        mention.objects.annotate(day=TruncDate("published_at", tzinfo=UTC), spam=spam)
        .values("day", "source_id", "sentiment", "language", "spam")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_topic = (
        mention_topic.objects.annotate(
            day=TruncDate("mention__published_at", tzinfo=UTC),
            source_id=F("mention__source_id"),
            sentiment=F("mention__sentiment"),
            language=F("mention__language"),
            spam=Case(
                When(mention__spam_score__gte=SPAM_THRESHOLD, then=Value(True)),
                default=Value(False),
            ),
        )
        .values("day", "source_id", "topic_id", "sentiment", "language", "spam")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        daily_count(
            day=row["day"],
            source_id=row["source_id"],
            topic_id=row.get("topic_id", ALL_TOPICS),
            sentiment=row["sentiment"],
            language=row["language"],
            spam=row["spam"],
            count=row["n"],
        )
        for query in (everything, by_topic)
        for row in query.iterator(chunk_size=5000)
    ]
    daily_count.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
