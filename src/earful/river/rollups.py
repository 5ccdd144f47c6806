"""Daily counts kept in step with the mentions they count.

Two tables: DailyCount, per topic (topic_id 0 counts every mention), and TopicSetCount, per
*set* of topics a mention is in, so that a filter on several topics sums the sets that meet
them and counts a mention in two of them once. Every write that adds or deletes mentions,
tags or untags them, or changes their sentiment passes its changes here in the same
transaction, so the dashboard reads a few hundred rows instead of counting millions.
`rebuild_counts` recomputes everything from the mentions (after a migration, or if rows
were deleted by hand).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import TruncDate

from .models import DailyCount, Mention, MentionTopic, TopicSetCount
from .topic_sets import topic_set, topic_set_ids

SPAM_THRESHOLD = 0.5  # a spam score at or above this counts (and filters) as spam
ALL_TOPICS = 0

# (day, source id, topic, sentiment, language, spam); the topic is a topic id or
# ALL_TOPICS (a DailyCount row), or a sorted tuple of topic ids (a TopicSetCount row).
CountKey = tuple[date, int, int | tuple[int, ...], str, str, bool]
COLUMNS = "day, source_id, {}, sentiment, language, spam"


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
    """Add one mention to `counts`: to the row of each of `topic_ids`, and, unless told not
    to, to the all-mentions row and to the row of its topic set, for which `topic_ids` must
    then be all of its topics (a mention stored, deleted or relabelled). A change of topics
    alone is `every_mention=False` plus `move_topic_set`."""
    topic_ids = tuple(topic_ids)
    day = utc_day(published_at)
    spam = spam_score >= SPAM_THRESHOLD
    if every_mention:
        counts[(day, source_id, ALL_TOPICS, sentiment, language, spam)] += sign
        if topic_ids:
            counts[(day, source_id, topic_set(topic_ids), sentiment, language, spam)] += sign
    for topic_id in topic_ids:
        counts[(day, source_id, topic_id, sentiment, language, spam)] += sign


def move_topic_set(
    counts: Counter,
    published_at: datetime,
    source_id: int,
    sentiment: str,
    language: str,
    spam_score: float,
    old: Iterable[int],
    new: Iterable[int],
) -> None:
    """A mention's topics went from `old` to `new`: move it between their sets' rows."""
    old, new = topic_set(old), topic_set(new)
    if old == new:
        return
    day = utc_day(published_at)
    spam = spam_score >= SPAM_THRESHOLD
    if old:
        counts[(day, source_id, old, sentiment, language, spam)] -= 1
    if new:
        counts[(day, source_id, new, sentiment, language, spam)] += 1


def add_counts(counts: Counter, topic_set_count=TopicSetCount) -> None:
    """Fold `counts` into the stored rows (upsert; negative counts subtract); topic sets
    seen for the first time get their TopicSet row."""
    by_topic, by_set = [], []
    for key, n in counts.items():
        if n:
            (by_set if isinstance(key[2], tuple) else by_topic).append((key, n))
    _upsert(DailyCount._meta.db_table, "topic_id", by_topic)
    if by_set:
        ids = topic_set_ids({key[2] for key, _ in by_set}, topic_set_count)
        rows = [((d, source, ids[members], *rest), n) for (d, source, members, *rest), n in by_set]
        _upsert(topic_set_count._meta.db_table, "topic_set_id", rows)


def _upsert(table: str, topic_column: str, rows: list[tuple[tuple, int]]) -> None:
    if not rows:
        return
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({COLUMNS.format(topic_column)}, count) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT ({topic_column}, day, source_id, sentiment, language, spam) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            [
                (day.isoformat() if sqlite else day, source, topic, sentiment, language, spam, n)
                for (day, source, topic, sentiment, language, spam), n in rows
            ],
        )


def rebuild_counts(
    daily_count=DailyCount,
    mention=Mention,
    mention_topic=MentionTopic,
    topic_set_count=TopicSetCount,
) -> int:
    """Recompute every row from the mentions; returns how many rows were written.

    Takes the models as arguments so that migrations can pass their historical ones
    (topic_set_count None: a migration from before topic sets, which leaves them alone).
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
    if topic_set_count is None:
        return len(rows)
    return len(rows) + rebuild_topic_set_counts(mention_topic, topic_set_count)


def rebuild_topic_set_counts(mention_topic=MentionTopic, topic_set_count=TopicSetCount) -> int:
    """Recompute the TopicSetCount rows (and the TopicSets in use) from the topic links,
    read in mention order so that each mention's whole set is seen at once."""
    topic_set_count.objects.all().delete()
    topic_set_count._meta.get_field("topic_set").related_model.objects.all().delete()
    links = mention_topic.objects.order_by("mention_id").values_list(
        "mention_id", "topic_id", "mention__published_at", "mention__source_id",
        "mention__sentiment", "mention__language", "mention__spam_score",
    )  # fmt: skip
    counts: Counter = Counter()
    for _, group in groupby(links.iterator(chunk_size=5000), key=itemgetter(0)):
        rows = list(group)
        _, _, published_at, source_id, sentiment, language, spam_score = rows[0]
        members = topic_set(row[1] for row in rows)
        spam = spam_score >= SPAM_THRESHOLD
        counts[(utc_day(published_at), source_id, members, sentiment, language, spam)] += 1
    add_counts(counts, topic_set_count)
    return len(counts)
