"""Who and where: top authors, top sites, share of voice, emerging terms."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from django.db.models import Count

from ..models import Author, Mention, MentionTopic, Source, Topic
from ..trends.emerging import EmergingTerm, count_terms, emerging_terms
from .counts import by_topic_and_sentiment, mentions
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


def breakdown_rows(f: MentionFilter):
    """The mentions top authors and top sites count: the whole period, or its latest
    BREAKDOWN_LIMIT mentions when it holds more (counting millions of rows per page view
    is too slow on SQLite; the dashboard says when it does this)."""
    cutoff = (
        mentions(f, in_time_order=True)
        .order_by("-moment")
        .values_list("moment", flat=True)[BREAKDOWN_LIMIT - 1 : BREAKDOWN_LIMIT]
    )
    moment = next(iter(cutoff), None)
    return mentions(f) if moment is None else mentions(f, since=moment)


def top_authors(f: MentionFilter, limit: int = 10) -> list[AuthorRank]:
    rows = (
        breakdown_rows(f)
        .exclude(author_id=None)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:ACTIVE_AUTHORS]
    )
    counts = {row["author_id"]: row["n"] for row in rows}
    authors = Author.objects.in_bulk(list(counts))
    ranked = [
        AuthorRank(author, counts[author_id], author_score(counts[author_id], author.reach))
        for author_id, author in authors.items()
    ]
    ranked.sort(key=lambda rank: (-rank.score, -rank.mentions, rank.author.handle))
    return ranked[:limit]


def top_sites(f: MentionFilter, limit: int = 10) -> list[tuple[str, int]]:
    rows = (
        breakdown_rows(f)
        .exclude(site="")
        .values("site")
        .annotate(n=Count("id"))
        .order_by("-n", "site")
    )
    return [(row["site"], row["n"]) for row in rows[:limit]]


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


def _newest_ids(f: MentionFilter, since, until, limit: int) -> list[int]:
    """Ids of the newest `limit` mentions of the filter between `since` and `until`. With
    several topics the topic links are read first (an index holds their times), so only
    the chosen mentions' rows are read, not every row of the slice."""
    if len(f.topics) < 2:
        rows = mentions(f, since, until).order_by("-moment").values_list("id", flat=True)
        return list(rows[:limit])
    links = (
        MentionTopic.objects.filter(
            topic_id__in=f.topics, published_at__gte=since, published_at__lt=until
        )
        .order_by("-published_at")
        .values_list("mention_id", flat=True)
    )
    candidates = list(dict.fromkeys(links[: limit * 4]))  # room for what the filters drop
    # The links chose the topics and the time; the other filters, by primary key.
    others = replace(f, topics=(), all_time=True)
    kept = set(mentions(others).filter(id__in=candidates).values_list("id", flat=True))
    return [mention_id for mention_id in candidates if mention_id in kept][:limit]


def sample_texts(f: MentionFilter) -> list[str]:
    """Up to SAMPLE_SLICES x SAMPLE_PER_SLICE texts, the newest of each slice of the
    period: a fair sample of a long period read through the time index, never a scan."""
    ids: list[int] = []
    slice_length = (f.until - f.since) / SAMPLE_SLICES
    for n in range(SAMPLE_SLICES):
        since = f.since + slice_length * n
        until = f.since + slice_length * (n + 1) if n < SAMPLE_SLICES - 1 else f.until
        ids.extend(_newest_ids(f, since, until, SAMPLE_PER_SLICE))
    rows = Mention.objects.filter(id__in=ids).values_list("title", "text")
    return [f"{title}\n{text}" if title else text for title, text in rows.iterator(2000)]


def emerging(f: MentionFilter, limit: int = 15) -> list[EmergingTerm]:
    """Terms rising in the period against the period of the same length before it."""
    current = count_terms(sample_texts(f))
    previous = count_terms(sample_texts(f.previous_period()))
    # p < 0.001: thousands of terms are tested at once, so p < 0.05 lets chance through.
    return emerging_terms(current, previous, limit=limit, min_score=10.83)


def source_names(ids) -> dict[int, str]:
    return dict(Source.objects.filter(id__in=list(ids)).values_list("id", "name"))
