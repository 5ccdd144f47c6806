"""Search: the query language over stored mentions, with the filters, highlighting,
pages, CSV export of the whole result and "save as topic"."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from earful.accounts.access import can, console_permission

from .. import actions
from ..analytics.counts import mentions
from ..analytics.filters import MentionFilter, parse_filter
from ..highlight import highlight
from ..models import Mention, MentionTopic, Topic
from ..query import QuerySyntaxError, parse_query
from ..search import iter_matches, iter_mentions
from ..tasks import tag_existing_task
from .filter_form import filter_context

PAGE_SIZE = 25
MAX_PAGE = 400
SORTS = {"newest": True, "oldest": False}


def _results(query: str, f: MentionFilter, newest_first: bool) -> Iterator[Mention]:
    within = mentions(f, in_time_order=True)
    if query:
        return iter_matches(query, newest_first=newest_first, within=within)
    return iter_mentions(within, newest_first=newest_first)


def _page_number(value: str) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except ValueError:
        return 1


@console_permission("search_mentions")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:2000]
    f = parse_filter(request.GET, all_time_by_default=True)
    sort = request.GET.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    page = _page_number(request.GET.get("page", "1"))
    error = ""
    node = None
    rows: list[Mention] = []
    if query:
        try:
            node = parse_query(query)
        except QuerySyntaxError as exc:
            error = str(exc)
    if not error:
        start = (page - 1) * PAGE_SIZE
        rows = list(islice(_results(query, f, SORTS[sort]), start, start + PAGE_SIZE + 1))
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    topics = _topics_of(rows)
    results = [
        {
            "mention": m,
            "title": highlight(m.title, node),
            "text": highlight(m.text, node),
            "topics": topics.get(m.id, []),
        }
        for m in rows
    ]
    keep = [("q", query), *f.as_query(), ("sort", sort)]
    context = {
        "query": query,
        "error": error,
        "results": results,
        "page": page,
        "has_next": has_next,
        "sort": sort,
        "sorts": list(SORTS),
        "page_query": urlencode(keep),
        "topic_kinds": Topic.Kind.choices,
        "can_save": can(request.user, "manage_topics"),
        "section": "search",
        **filter_context(f, []),
    }
    return render(request, "river/search.html", context)


def _topics_of(rows: list[Mention]) -> dict[int, list[Topic]]:
    found: dict[int, list[Topic]] = {}
    links = MentionTopic.objects.filter(mention_id__in=[m.id for m in rows]).select_related("topic")
    for link in links.order_by("topic__name"):
        found.setdefault(link.mention_id, []).append(link.topic)
    return found


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe_cell(value: object) -> object:
    """Spreadsheets run cells that start with = + - @ as formulas: defuse them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


EXPORT_COLUMNS = (
    "id", "published_at", "source", "author", "url", "title", "text", "language",
    "sentiment", "sentiment_score", "spam_score", "topics", "duplicate_of", "parent",
)  # fmt: skip


def _export_rows(results: Iterator[Mention]) -> Iterator[list]:
    yield list(EXPORT_COLUMNS)
    while chunk := list(islice(results, 500)):
        topics = _topics_of(chunk)
        for m in chunk:
            yield [
                m.id,
                m.published_at.isoformat(),
                m.source.name,
                m.author.handle if m.author_id else "",
                m.url,
                m.title,
                m.text,
                m.language,
                m.sentiment,
                m.sentiment_score,
                m.spam_score,
                "; ".join(t.name for t in topics.get(m.id, [])),
                m.duplicate_of_id or "",
                m.parent_id or "",
            ]


@console_permission("search_mentions")
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every match, not one page: streamed, so a million rows never sit in memory."""
    query = request.GET.get("q", "").strip()[:2000]
    f = parse_filter(request.GET, all_time_by_default=True)
    newest_first = SORTS.get(request.GET.get("sort", "newest"), True)
    if query:
        try:
            parse_query(query)
        except QuerySyntaxError as exc:
            return HttpResponse(f"invalid query: {exc}", status=400, content_type="text/plain")
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow([_safe_cell(v) for v in row])
        for row in _export_rows(_results(query, f, newest_first))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="earful-mentions.csv"'
    return response


@require_POST
@console_permission("manage_topics")
def save_as_topic(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("q", "").strip()
    back = f"{request.path.rsplit('/save', 1)[0]}?{urlencode({'q': query})}"
    try:
        topic = actions.add_topic(
            request.POST.get("name", ""), query, request.POST.get("kind", Topic.Kind.THEME)
        )
    except ValueError as exc:
        messages.error(request, f"The topic was not saved: {exc}")
        return redirect(back)
    tag_existing_task.enqueue(topic.id)
    messages.success(
        request,
        f"Saved the topic {topic.name!r}. New mentions are tagged as they arrive; the "
        "stored ones are being tagged in the background.",
    )
    return redirect(back)
