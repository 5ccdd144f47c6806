"""The river's API: push mentions in; read mentions, topics and the dashboard's figures.

Reading needs a console permission of the token's user (search_mentions, view_dashboard,
manage_topics); the push endpoint needs only a valid token. The filters are the
console's own (analytics.filters), and so are search, the series and the breakdowns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from earful.accounts.api_auth import require_permission

from . import actions
from .analytics.counts import daily_by_sentiment, mentions
from .analytics.dashboard import dashboard_data, spikes
from .analytics.filters import MentionFilter, parse_filter
from .api_schemas import (
    MAX_ID,
    MAX_OFFSET,
    REFUSALS,
    BreakdownsOut,
    ErrorOut,
    FilterParams,
    InvalidOut,
    MentionDetailOut,
    MentionPage,
    MentionSearchParams,
    PageParams,
    TimeseriesOut,
    TopicIn,
    TopicOut,
    TopicPage,
)
from .models import Mention, MentionTopic, Topic
from .query import QuerySyntaxError, parse_query
from .rows import RowError, raw_item_from_row
from .serialise import mention_json
from .tasks import tag_existing_task
from .views.search import _results

router = Router(tags=["mentions"])
MAX_ITEMS = 1000
MAX_LISTED = 100  # replies and duplicates of one mention


class PushIn(Schema):
    source: str = Field(..., min_length=1, max_length=200, description="Source name")
    items: list[dict[str, Any]] = Field(
        ...,
        max_length=MAX_ITEMS,
        description="Mentions: `text` (required), `id`, `url`, `author`, `author_name`, "
        "`author_url`, `author_reach`, `title`, `published_at` (ISO 8601), `language`, "
        "`parent_id`",
    )


class ItemError(Schema):
    index: int
    error: str


class PushOut(Schema):
    imported: int
    duplicates: int
    rejected: int
    errors: list[ItemError]


@router.post("/mentions", response={200: PushOut, 400: ErrorOut}, summary="Push mentions")
def push_mentions(request, payload: PushIn):
    """Send a batch of up to 1000 mentions. Items already received are counted as
    duplicates; items with errors are reported by index and the rest are stored."""
    try:
        source = actions.source_for_push(payload.source)
    except ValueError as exc:
        return Status(400, {"error": str(exc)})
    raw_items, errors = [], []
    for index, row in enumerate(payload.items):
        try:
            raw_items.append(raw_item_from_row(row))
        except RowError as exc:
            errors.append({"index": index, "error": str(exc)})
    with transaction.atomic():
        report = actions.ingest_items(source, raw_items)
    return Status(
        200,
        {
            "imported": report.imported,
            "duplicates": report.duplicates,
            "rejected": len(errors) + report.rejected,
            "errors": errors,
        },
    )


# Reading


def _filter(request: HttpRequest, params: FilterParams, *, all_time: bool) -> MentionFilter:
    """The console's filter of the query string (`spam` as the API validated it)."""
    f = parse_filter(request.GET, all_time_by_default=all_time)
    return replace(f, include_spam=params.spam)


def _invalid_filter(f: MentionFilter) -> Status:
    return Status(422, {"error": "invalid filter", "detail": list(f.errors)})


def _next_offset(offset: int, limit: int, more: bool) -> int | None:
    """No pages start past MAX_OFFSET: deeper than that, narrow the filters instead."""
    following = offset + limit
    return following if more and following <= MAX_OFFSET else None


def mention_items(rows: Sequence[Mention]) -> list[dict]:
    """The CLI's JSON of mentions (serialise.py) with the API's fuller author and fields.
    The mentions need their author and source loaded (select_related)."""
    items = mention_json(rows)
    for m, item in zip(rows, items, strict=True):
        item["sentiment_score"] = item.pop("score")
        item["author"] = (
            {"handle": m.author.handle, "name": m.author.name, "reach": m.author.reach}
            if m.author_id
            else None
        )
        item["canonical_url"] = m.canonical_url or None
        item["site"] = m.site
        item["owned"] = m.owned
    return items


@router.get(
    "/mentions",
    response={200: MentionPage, **REFUSALS, 422: InvalidOut},
    summary="List or search mentions",
)
def list_mentions(request, params: Query[MentionSearchParams]):
    """Mentions matching the filters and, if given, the query `q` (the boolean query
    language of topics and the console's search), newest or oldest first.

    Without dates the period is all time. `count` is exact when there is no `q`; with
    one it is null (knowing it means reading every match): page with `next_offset`
    until it is null. Pages start at most 10,000 items deep. Needs `search_mentions`."""
    require_permission(request, "search_mentions")
    f = _filter(request, params, all_time=True)
    if f.errors:
        return _invalid_filter(f)
    query = params.q.strip()
    if query:
        try:
            parse_query(query)
        except QuerySyntaxError as exc:
            return Status(422, {"error": f"invalid query: {exc}", "detail": []})
    results = _results(query, f, newest_first=params.sort == "newest")
    rows = list(islice(results, params.offset, params.offset + params.limit + 1))
    return {
        "count": None if query else mentions(f).count(),
        "next_offset": _next_offset(params.offset, params.limit, len(rows) > params.limit),
        "items": mention_items(rows[: params.limit]),
    }


@router.get(
    "/mentions/{mention_id}",
    response={200: MentionDetailOut, **REFUSALS, 404: ErrorOut, 422: InvalidOut},
    summary="One mention",
)
def get_mention(request, mention_id: int = Path(..., ge=1, le=MAX_ID)):
    """A mention with the ids of its replies and of the other mentions of its
    near-duplicate cluster (at most 100 of each, oldest first). Needs `search_mentions`."""
    require_permission(request, "search_mentions")
    mention = Mention.objects.select_related("author", "source").filter(pk=mention_id).first()
    if mention is None:
        raise HttpError(404, f"there is no mention {mention_id}")
    oldest_first = ("published_at", "id")
    replies = Mention.objects.filter(parent_id=mention.id).order_by(*oldest_first)
    root_id = mention.duplicate_of_id or mention.id
    cluster = (
        Mention.objects.filter(Q(id=root_id) | Q(duplicate_of_id=root_id))
        .exclude(id=mention.id)
        .order_by(*oldest_first)
    )
    (item,) = mention_items([mention])
    item["replies"] = list(replies.values_list("id", flat=True)[:MAX_LISTED])
    item["duplicates"] = list(cluster.values_list("id", flat=True)[:MAX_LISTED])
    return item


def _topic_items(topics: Sequence[Topic]) -> list[dict]:
    counts = dict(
        MentionTopic.objects.filter(topic_id__in=[t.id for t in topics])
        .values("topic_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("topic_id", "n")
    )
    return [
        {
            "id": t.id,
            "name": t.name,
            "kind": t.kind,
            "query": t.query,
            "colour": t.colour,
            "mentions": counts.get(t.id, 0),
        }
        for t in topics
    ]


@router.get(
    "/topics",
    response={200: TopicPage, **REFUSALS, 422: InvalidOut},
    summary="List topics",
    tags=["topics"],
)
def list_topics(request, params: Query[PageParams]):
    """Saved topics by name, with how many stored mentions each is tagged on.
    Needs `search_mentions` or `view_dashboard`."""
    require_permission(request, "search_mentions", "view_dashboard")
    topics = list(
        Topic.objects.order_by("name", "id")[params.offset : params.offset + params.limit + 1]
    )
    return {
        "count": Topic.objects.count(),
        "next_offset": _next_offset(params.offset, params.limit, len(topics) > params.limit),
        "items": _topic_items(topics[: params.limit]),
    }


@router.post(
    "/topics",
    response={201: TopicOut, **REFUSALS, 422: InvalidOut},
    summary="Create a topic",
    tags=["topics"],
)
def create_topic(request, payload: TopicIn):
    """Save a query as a topic: new mentions are tagged as they arrive, and the stored
    ones are tagged in the background by `earful worker`, so `mentions` is usually still
    0 in the answer. Needs `manage_topics`."""
    require_permission(request, "manage_topics")
    try:
        with transaction.atomic():
            topic = actions.add_topic(payload.name, payload.query, payload.kind, payload.colour)
    except ValueError as exc:
        return Status(422, {"error": str(exc), "detail": []})
    except IntegrityError:  # created by someone else between the check and the insert
        return Status(422, {"error": f"a topic named {payload.name.strip()!r} already exists"})
    tag_existing_task.enqueue(topic.id)
    (item,) = _topic_items([topic])
    return Status(201, item)


@router.get(
    "/stats/timeseries",
    response={200: TimeseriesOut, **REFUSALS, 422: InvalidOut},
    summary="Mentions per day by sentiment",
    tags=["stats"],
)
def timeseries(request, params: Query[FilterParams]):
    """The dashboard's chart: mentions per UTC day of the period (empty days included)
    by sentiment, with net sentiment, and the spike days (volume above the mean + 3σ of
    the 14 days before). Without dates the period is the last 30 days; at most 1830 days.
    Needs `view_dashboard`."""
    require_permission(request, "view_dashboard")
    f = _filter(request, params, all_time=False)
    if f.errors:
        return _invalid_filter(f)
    series = daily_by_sentiment(f)
    return {
        "period": {"start": f.start, "end": f.end, "days": f.days},
        "series": series,
        "spikes": spikes(f, series),
    }


@router.get(
    "/stats/breakdowns",
    response={200: BreakdownsOut, **REFUSALS, 422: InvalidOut},
    summary="Totals, share of voice, top sources, sites and authors, emerging terms",
    tags=["stats"],
)
def breakdowns(request, params: Query[FilterParams]):
    """Everything else the dashboard shows for the filters: totals by sentiment, share
    of voice of the brand and competitor topics (the `topic` filter does not apply to
    it), the top 10 sources, sites and authors, up to 15 emerging terms (against the
    period of the same length before) and the languages seen. The daily series and
    spikes are at /stats/timeseries. Without dates the period is the last 30 days.
    Needs `view_dashboard`."""
    require_permission(request, "view_dashboard")
    f = _filter(request, params, all_time=False)
    if f.errors:
        return _invalid_filter(f)
    data = dashboard_data(f)
    del data["series"], data["spikes"]
    return data
