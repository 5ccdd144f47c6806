"""Who and where: top authors, top sites, share of voice, emerging terms."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.db import connection
from django.db.models import Aggregate, Count, QuerySet, Sum, TextField, Value
from django.db.models.functions import NullIf

from ..models import Author, Source, Topic
from ..trends.emerging import EmergingTerm, count_terms, emerging_terms
from .counts import by_topic_and_sentiment, mentions, rollup_rows
from .filters import MentionFilter

# Emerging terms read a sample of each period, spread evenly over its days.
SAMPLE_SLICES = 10
SAMPLE_PER_SLICE = 250
ACTIVE_AUTHORS = 500  # the most active authors among whom reach decides the ranking
BREAKDOWN_LIMIT = 50_000  # top authors and sites count at most this many latest mentions


@dataclass(frozen=True)
class AuthorRank:
    author: Author
    mentions: int
    score: float


def author_score(mentions: int, reach: int | None) -> float:
    """Volume times the order of magnitude of the audience: an author with a million
    followers weighs six times one with none, not a million times (a celebrity's one
    aside would otherwise hide everyone who writes about the brand every day)."""
    return mentions * math.log10(10 + (reach or 0))


def breakdown_since(f: MentionFilter, series: list[dict] | None = None) -> datetime | None:
    """Where top authors and top sites start counting: None for the whole period, or the
    moment of its BREAKDOWN_LIMIT-th newest mention when it holds more (counting millions
    of rows per page view is too slow on SQLite; the dashboard says when it does this).

    The daily rollups (`series`, from daily_by_sentiment, else read here) tell
    which day that mention is on, so only that day's mentions are walked to find it."""
    if series is None:
        per_day = rollup_rows(f).values_list("day").annotate(n=Sum("count")).order_by("-day")
    else:
        per_day = [(date.fromisoformat(point["day"]), point["total"]) for point in series[::-1]]
    remaining = BREAKDOWN_LIMIT
    for day, total in per_day:
        if total < remaining:
            remaining -= total
            continue
        start = datetime.combine(day, time.min, tzinfo=UTC)
        moments = (
            mentions(f, start, start + timedelta(days=1), in_time_order=True)
            .order_by("-moment")
            .values_list("moment", flat=True)
        )
        # The rollups and the rows agree; if a write moved the day meanwhile, the whole day.
        return next(iter(moments[remaining - 1 : remaining]), start)
    return None


def breakdown_rows(f: MentionFilter, series: list[dict] | None = None) -> QuerySet:
    """The mentions top authors and top sites count (see breakdown_since)."""
    return mentions(f, since=breakdown_since(f, series))


def top_authors(
    f: MentionFilter, limit: int = 10, series: list[dict] | None = None
) -> list[AuthorRank]:
    authors, _ = breakdown_counts(f, series, sites=False)
    return rank_authors(authors, limit)


def rank_authors(counts: dict[int, int], limit: int = 10) -> list[AuthorRank]:
    """The best `limit` authors by score among the ACTIVE_AUTHORS with most mentions."""
    if len(counts) > ACTIVE_AUTHORS:
        counts = dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:ACTIVE_AUTHORS])
    reach = Author.objects.filter(id__in=list(counts)).values_list("id", "reach", "handle")
    best = sorted(
        ((-author_score(counts[author_id], value), -counts[author_id], handle, author_id)
         for author_id, value, handle in reach)
    )[:limit]  # fmt: skip
    authors = Author.objects.in_bulk([author_id for *_, author_id in best])
    return [
        AuthorRank(authors[author_id], counts[author_id], -score) for score, _, _, author_id in best
    ]


def top_sites(
    f: MentionFilter, limit: int = 10, series: list[dict] | None = None
) -> list[tuple[str, int]]:
    _, sites = breakdown_counts(f, series, authors=False)
    return rank_sites(sites, limit)


def rank_sites(counts: dict[str, int], limit: int = 10) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


class _Joined(Aggregate):
    """SQLite's group_concat: the values of a column (NULLs left out) in one string."""

    function = "group_concat"
    output_field = TextField()


def breakdown_counts(
    f: MentionFilter, series: list[dict] | None = None, *, authors: bool = True, sites: bool = True
) -> tuple[Counter[int], Counter[str]]:
    """Mentions per author and per site (those asked for), from one pass over the rows:
    with several topics, the dashboard reads each tagged mention once for both.

    SQLite groups rows by sorting them, about 1 µs a row, most of the time of counting
    50,000 mentions; joining the column into one string and counting its parts (numpy
    parses and counts the ids) costs a fraction of that. PostgreSQL groups with a hash
    table, so it is asked to."""
    rows = breakdown_rows(f, series)
    by_author: Counter[int] = Counter()
    by_site: Counter[str] = Counter()
    if connection.vendor == "sqlite":
        wanted = {}
        if authors:
            wanted["authors"] = _Joined("author_id")
        if sites:  # hosts hold no line breaks; mentions without a site are left out
            wanted["sites"] = _Joined(NullIf("site", Value("")), Value("\n"))
        joined = rows.aggregate(**wanted)
        if joined.get("authors"):
            ids, counts = np.unique(
                np.fromstring(joined["authors"], dtype=np.int64, sep=","), return_counts=True
            )
            by_author.update(dict(zip(ids.tolist(), counts.tolist(), strict=True)))
        if joined.get("sites"):
            by_site.update(joined["sites"].split("\n"))
        return by_author, by_site
    columns = [name for name, wanted in (("author_id", authors), ("site", sites)) if wanted]
    for *values, n in rows.values_list(*columns).annotate(n=Count("*")).order_by():
        row = dict(zip(columns, values, strict=True))
        if row.get("author_id") is not None:
            by_author[row["author_id"]] += n
        if row.get("site"):
            by_site[row["site"]] += n
    return by_author, by_site


def share_of_voice(f: MentionFilter) -> list[dict]:
    """Brand and competitor topics: each one's mentions, sentiment and share of the total."""
    topics = list(
        Topic.objects.filter(kind__in=[Topic.Kind.BRAND, Topic.Kind.COMPETITOR]).order_by("name")
    )
    counts = by_topic_and_sentiment(f, tuple(t.id for t in topics))
    total = sum(sum(c.values()) for c in counts.values())
    shares = []
    for topic in topics:
        by_sentiment = counts[topic.id]
        volume = sum(by_sentiment.values())
        shares.append(
            {
                "topic": topic.name,
                "topic_id": topic.id,
                "kind": topic.kind,
                "colour": topic.colour,
                "mentions": volume,
                "share": round(volume / total, 4) if total else 0.0,
                **by_sentiment,
            }
        )
    shares.sort(key=lambda share: -share["mentions"])
    return shares


def sample_texts(f: MentionFilter) -> list[str]:
    """Up to SAMPLE_SLICES x SAMPLE_PER_SLICE texts, the newest of each slice of the
    period: a fair sample of a long period read through the time index, never a scan.
    Each slice is one query for the texts themselves (reading ids first and then their
    rows cost twice as much).

    The ORM builds that query once, with stand-in bounds, and it runs once per slice with
    the slice's: building and compiling ten querysets cost as much as running them."""
    stand_ins = (datetime(2000, 1, 1, 0, 0, 0, 1, UTC), datetime(2000, 1, 1, 0, 0, 0, 2, UTC))
    rows = (
        mentions(replace(f, all_time=True), *stand_ins, in_time_order=True)
        .order_by("-moment")
        .values_list("title", "text")[:SAMPLE_PER_SLICE]
    )
    sql, params = rows.query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    bound_at = {adapt(moment): n for n, moment in enumerate(stand_ins)}
    slots = [bound_at.get(p) if isinstance(p, str | datetime) else None for p in params]
    if {0, 1} - set(slots):
        raise AssertionError(f"the sample's query lost its time bounds: {sql}")
    texts: list[str] = []
    slice_length = (f.until - f.since) / SAMPLE_SLICES
    with connection.cursor() as cursor:
        for n in range(SAMPLE_SLICES):
            since = f.since + slice_length * n
            until = f.since + slice_length * (n + 1) if n < SAMPLE_SLICES - 1 else f.until
            bounds = (adapt(since), adapt(until))
            slice_params = [
                p if at is None else bounds[at] for p, at in zip(params, slots, strict=True)
            ]
            cursor.execute(sql, slice_params)
            texts.extend(f"{title}\n{text}" if title else text for title, text in cursor)
    return texts


def emerging(f: MentionFilter, limit: int = 15) -> list[EmergingTerm]:
    """Terms rising in the period against the period of the same length before it."""
    current = count_terms(sample_texts(f))
    previous = count_terms(sample_texts(f.previous_period()))
    # p < 0.001: thousands of terms are tested at once, so p < 0.05 lets chance through.
    return emerging_terms(current, previous, limit=limit, min_score=10.83)


def source_names(ids) -> dict[int, str]:
    return dict(Source.objects.filter(id__in=list(ids)).values_list("id", "name"))
