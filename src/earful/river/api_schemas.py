"""Shapes of the river's read API (see api.py): they become the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000
MAX_SEARCH_QUERY = 2000  # the console's search box keeps as much
MAX_TOPIC_QUERY = 10_000  # the query language's own limit

# "unscored": the mention's language has no sentiment model (docs/sentiment.md).
Sentiment = Literal["positive", "neutral", "negative", "unscored"]
TopicKind = Literal["brand", "competitor", "product", "theme"]


class ErrorOut(Schema):
    error: str


MAX_ID = 2**63 - 1  # larger ids would overflow the database's integers


class InvalidOut(Schema):
    error: str
    detail: list[Any] = Field(default_factory=list, description="What is wrong with each parameter")


# No valid token; its user lacks the permission.
REFUSALS = {401: ErrorOut, 403: ErrorOut}


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description="Items to skip; use the `next_offset` of a page"
    )


class FilterParams(Schema):
    """The console's filters. Unknown topic or source ids, bad dates and a start after
    the end are refused with 422, never silently dropped."""

    start: date | None = Field(None, description="First day, inclusive (UTC), YYYY-MM-DD")
    end: date | None = Field(None, description="Last day, inclusive (UTC), YYYY-MM-DD")
    topic: list[int] = Field(default_factory=list, description="Topic ids (repeatable)")
    source: list[int] = Field(default_factory=list, description="Source ids (repeatable)")
    sentiment: list[Sentiment] = Field(default_factory=list, description="Repeatable")
    language: list[str] = Field(
        default_factory=list,
        description='Language codes (repeatable); "und" is undetermined',
    )
    spam: bool = Field(False, description="Include mentions scored as spam")


class SearchParams(Schema):
    q: str = Field(
        "",
        max_length=MAX_SEARCH_QUERY,
        description="A query in the boolean query language (see the README); "
        "without one, every mention of the filters is listed",
    )
    sort: Literal["newest", "oldest"] = Field("newest", description="Order of publication")


class MentionSearchParams(PageParams, FilterParams, SearchParams):
    """The query first, then the filters, then the page (their order in the docs)."""


class AuthorOut(Schema):
    handle: str
    name: str
    reach: int | None = Field(description="Followers, subscribers, karma … if known")


class MentionOut(Schema):
    id: int
    url: str | None = Field(description="Where it was published (its canonical URL if none)")
    canonical_url: str | None
    site: str = Field(description='Host of the URL without "www.", or ""')
    source: str = Field(description="Name of the source it came from")
    author: AuthorOut | None
    title: str
    text: str = Field(description="Plain text as stored; escape it before putting it in HTML")
    language: str = Field(description='Language code, "" if undetermined')
    published_at: datetime
    sentiment: Sentiment
    sentiment_score: float
    spam_score: float
    topics: list[str] = Field(description="Names of the topics it is tagged with")
    duplicate_of: int | None = Field(description="First mention of its near-duplicate cluster")
    parent: int | None = Field(description="The mention it answers")
    owned: bool = Field(description="Written on one of the company's own channels")


class MentionDetailOut(MentionOut):
    replies: list[int] = Field(description="Ids of the replies, oldest first (at most 100)")
    duplicates: list[int] = Field(
        description="Ids of the other mentions of its near-duplicate cluster, the first one "
        "included, oldest first (at most 100)"
    )


class MentionPage(Schema):
    count: int | None = Field(
        description="Every match, or null when unknown without reading them all (searches)"
    )
    next_offset: int | None = Field(description="The offset of the next page; null at the end")
    items: list[MentionOut]


class TopicIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    query: str = Field(..., min_length=1, max_length=MAX_TOPIC_QUERY)
    kind: TopicKind = "theme"
    colour: str = Field("", max_length=7, description="#rrggbb; a default colour if empty")


class TopicOut(Schema):
    id: int
    name: str
    kind: TopicKind
    query: str
    colour: str
    mentions: int = Field(description="Stored mentions tagged with it, spam included")


class TopicPage(Schema):
    count: int
    next_offset: int | None
    items: list[TopicOut]


class PeriodOut(Schema):
    start: date
    end: date
    days: int


class DayOut(Schema):
    day: date
    positive: int
    neutral: int
    negative: int
    unscored: int = Field(description="Mentions in a language without a sentiment model")
    total: int
    net: float | None = Field(
        description="(positive - negative) / scored mentions; null on days without any"
    )


class SpikeOut(Schema):
    day: date
    mentions: int
    baseline: float = Field(description="Mean of the 14 days before")
    threshold: float = Field(description="Baseline + 3 standard deviations")


class TimeseriesOut(Schema):
    period: PeriodOut
    series: list[DayOut]
    spikes: list[SpikeOut]


class TotalsOut(Schema):
    total: int
    positive: int
    neutral: int
    negative: int


class ShareOut(Schema):
    topic: str
    topic_id: int
    kind: TopicKind
    colour: str
    mentions: int
    share: float = Field(description="Of the brand and competitor topics' mentions, 0 to 1")
    positive: int
    neutral: int
    negative: int


class SourceCountOut(Schema):
    source_id: int
    source: str
    mentions: int


class SiteCountOut(Schema):
    site: str
    mentions: int


class AuthorRankOut(Schema):
    author_id: int
    handle: str
    name: str
    reach: int | None
    mentions: int
    score: float = Field(description="mentions × log10(10 + reach)")


class EmergingOut(Schema):
    term: str
    mentions: int = Field(description="In the period (in a sample of it)")
    before: int = Field(description="In the period of the same length before it")
    score: float = Field(description="Signed log-likelihood G²")


class BreakdownsOut(Schema):
    period: PeriodOut
    totals: TotalsOut
    share_of_voice: list[ShareOut]
    sources: list[SourceCountOut] = Field(description="Top 10")
    sites: list[SiteCountOut] = Field(description="Top 10")
    authors: list[AuthorRankOut] = Field(description="Top 10 by score")
    emerging: list[EmergingOut] = Field(description="Up to 15 rising terms")
    languages: list[str] = Field(
        description='Languages seen in the period, most common first ("" is undetermined)'
    )
