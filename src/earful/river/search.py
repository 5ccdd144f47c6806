"""Search stored mentions with the boolean query language.

The full-text index (SQLite FTS5 or PostgreSQL's GIN index, see migration 0002) narrows
the mentions down to candidates that contain the query's words; the exact matcher of
`earful.river.query` then decides, so a search answers exactly what a topic with the same
query would tag. Queries the index cannot narrow (only NOT, only fields) or that match a
large part of the river walk the mentions in time order instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import F, QuerySet

from .models import Mention
from .query import MatchDocument, compile_query, parse_query, to_fts5, to_tsquery

SCAN_CHUNK = 2000
FIRST_CHUNK = 50
COMMON = 20_000  # a query the index finds in more mentions than this walks time instead


def _chunk_sizes() -> Iterator[int]:
    """Candidates are read in chunks that start small and grow: a page of results usually
    needs a few dozen, a full export needs them all."""
    size = FIRST_CHUNK
    while True:
        yield size
        size = min(size * 4, SCAN_CHUNK)


def document_for(mention: Mention) -> MatchDocument:
    """What the matcher sees of a stored mention; the same fields the pipeline's topics use."""
    try:
        site = urlsplit(mention.canonical_url or mention.url).hostname or ""
    except ValueError:
        site = ""
    author = ""
    if mention.author_id is not None:
        author = f"{mention.author.handle} {mention.author.name}".strip()
    text = f"{mention.title}\n{mention.text}" if mention.title else mention.text
    return MatchDocument(
        text=text, author=author, site=site, lang=mention.language, source=mention.source.name
    )


def _prefilter_sql(node, newest_first: bool = True) -> tuple[str, str] | None:
    """(SQL returning the ids of every candidate in time order, its full-text parameter),
    or None when the index cannot narrow this query."""
    order = "DESC" if newest_first else "ASC"
    if connection.vendor == "sqlite":
        expression = to_fts5(node)
        if expression is None:
            return None
        return (
            "SELECT m.id FROM river_mention_fts f JOIN river_mention m ON m.id = f.rowid "
            f"WHERE river_mention_fts MATCH %s ORDER BY m.published_at {order}, m.id {order}",
            expression,
        )
    if connection.vendor == "postgresql":
        expression = to_tsquery(node)
        if expression is None:
            return None
        return (
            f"SELECT id FROM river_mention WHERE {_PG_MATCH} "
            f"ORDER BY published_at {order}, id {order}",
            expression,
        )
    return None


_PG_MATCH = (
    "to_tsvector('simple'::regconfig, earful_search_text(title || ' ' || text)) "
    "@@ to_tsquery('simple'::regconfig, earful_fold(%s))"
)


def _index_matches(node, limit: int) -> int | None:
    """How many mentions the full-text index finds for the query, counting no further
    than `limit`; None if the index cannot narrow it."""
    if connection.vendor == "sqlite":
        expression = to_fts5(node)
        sql = (
            "SELECT count(*) FROM (SELECT rowid FROM river_mention_fts "
            "WHERE river_mention_fts MATCH %s LIMIT %s)"
        )
    elif connection.vendor == "postgresql":
        expression = to_tsquery(node)
        sql = f"SELECT count(*) FROM (SELECT id FROM river_mention WHERE {_PG_MATCH} LIMIT %s) s"
    else:
        return None
    if expression is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit])
        return cursor.fetchone()[0]


def _walk(rows: QuerySet, newest_first: bool) -> Iterator[list[int]]:
    """Ids of `rows` in time order, a growing chunk at a time, each chunk read through the
    time index from where the last one stopped (no OFFSET: deep pages stay cheap)."""
    if "moment" not in rows.query.annotations:
        rows = rows.annotate(moment=F("published_at"))
    order = ("-moment", "-id") if newest_first else ("moment", "id")
    ordered = rows.order_by(*order).values_list("moment", "id")
    last = None
    for size in _chunk_sizes():
        page = ordered
        if last is not None:
            moment, mention_id = last
            if newest_first:
                page = ordered.filter(moment__lte=moment).exclude(moment=moment, id__gte=mention_id)
            else:
                page = ordered.filter(moment__gte=moment).exclude(moment=moment, id__lte=mention_id)
        chunk = list(page[:size])
        if not chunk:
            return
        yield [mention_id for _, mention_id in chunk]
        last = chunk[-1]


def _candidate_ids(
    node, newest_first: bool = True, within: QuerySet | None = None
) -> tuple[Iterator[list[int]], bool]:
    """Batches of candidate ids in time order, and whether the index narrowed them.

    The index narrows rare words well, but a common word matches a good part of the river
    and putting all of its matches in time order is slow: such queries walk the mentions
    in time order instead, and the exact matcher picks the hits.
    """
    rows = Mention.objects.all() if within is None else within
    prefilter = _prefilter_sql(node, newest_first)
    if prefilter is None or _index_matches(node, COMMON) >= COMMON:
        return _walk(rows, newest_first), False

    def from_index() -> Iterator[list[int]]:
        sql, expression = prefilter
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression])
            ids = [row[0] for row in cursor.fetchall()]
        position = 0
        for size in _chunk_sizes():
            if position >= len(ids):
                return
            yield ids[position : position + size]
            position += size

    return from_index(), True


def iter_matches(
    query: str, *, newest_first: bool = True, within: QuerySet | None = None
) -> Iterator[Mention]:
    """Every mention matching `query` in time order, only among `within` (a Mention
    queryset) if given. Raises QuerySyntaxError on a bad query."""
    matcher = compile_query(query)
    chunks, _ = _candidate_ids(parse_query(query), newest_first, within)
    rows = Mention.objects.all() if within is None else within
    for mention in _in_order(rows, chunks):
        if matcher.matches(document_for(mention)):
            yield mention


def iter_mentions(within: QuerySet, *, newest_first: bool = True) -> Iterator[Mention]:
    """Every mention of `within` in time order, read a growing page at a time with
    LIMIT queries (a server-side cursor would make PostgreSQL plan for the whole period)."""
    return _in_order(within, _walk(within, newest_first))


def _in_order(rows: QuerySet, chunks: Iterator[list[int]]) -> Iterator[Mention]:
    """The mentions of `rows` among each chunk of ids, in the chunk's order."""
    for ids in chunks:
        by_id = {m.id: m for m in rows.filter(id__in=ids).select_related("author", "source")}
        yield from (by_id[mention_id] for mention_id in ids if mention_id in by_id)


def search(query: str, *, limit: int = 20, offset: int = 0) -> list[Mention]:
    """One page of `iter_matches`."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if offset < 0:
        raise ValueError("offset cannot be negative")
    return list(islice(iter_matches(query), offset, offset + limit))
