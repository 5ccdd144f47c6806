"""Search stored mentions with the boolean query language.

The full-text index (SQLite FTS5 or PostgreSQL's GIN index, see migration 0002) narrows
the mentions down to candidates that contain the query's words; the exact matcher of
`earful.river.query` then decides, so a search answers exactly what a topic with the same
query would tag. Queries the index cannot narrow (only NOT, only fields) scan newest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import QuerySet

from .models import Mention
from .query import MatchDocument, compile_query, parse_query, to_fts5, to_tsquery

SCAN_CHUNK = 2000
FIRST_CHUNK = 50


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
    """(SQL returning candidate ids in time order with %s placeholders for limit/offset,
    its full-text parameter), or None when the index cannot narrow this query."""
    order = "DESC" if newest_first else "ASC"
    if connection.vendor == "sqlite":
        expression = to_fts5(node)
        if expression is None:
            return None
        return (
            "SELECT m.id FROM river_mention_fts f JOIN river_mention m ON m.id = f.rowid "
            f"WHERE river_mention_fts MATCH %s ORDER BY m.published_at {order}, m.id {order} "
            "LIMIT %s OFFSET %s",
            expression,
        )
    if connection.vendor == "postgresql":
        expression = to_tsquery(node)
        if expression is None:
            return None
        return (
            "SELECT id FROM river_mention WHERE "
            "to_tsvector('simple'::regconfig, earful_search_text(title || ' ' || text)) "
            "@@ to_tsquery('simple'::regconfig, earful_fold(%s)) "
            f"ORDER BY published_at {order}, id {order} LIMIT %s OFFSET %s",
            expression,
        )
    return None


def _candidate_ids(
    node, newest_first: bool = True, within: QuerySet | None = None
) -> tuple[Iterator[list[int]], bool]:
    """Batches of candidate ids in time order, and whether the index narrowed them."""
    prefilter = _prefilter_sql(node, newest_first)

    def from_index() -> Iterator[list[int]]:
        sql, expression = prefilter
        offset = 0
        for size in _chunk_sizes():
            with connection.cursor() as cursor:
                cursor.execute(sql, [expression, size, offset])
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            yield ids
            offset += len(ids)

    def everything() -> Iterator[list[int]]:
        rows = Mention.objects.all() if within is None else within
        order = ("-published_at", "-id") if newest_first else ("published_at", "id")
        ordered = rows.order_by(*order).values_list("id", flat=True)
        offset = 0
        for size in _chunk_sizes():
            ids = list(ordered[offset : offset + size])
            if not ids:
                return
            yield ids
            offset += len(ids)

    if prefilter is None:
        return everything(), False
    return from_index(), True


def iter_matches(
    query: str, *, newest_first: bool = True, within: QuerySet | None = None
) -> Iterator[Mention]:
    """Every mention matching `query` in time order, only among `within` (a Mention
    queryset) if given. Raises QuerySyntaxError on a bad query."""
    matcher = compile_query(query)
    chunks, _ = _candidate_ids(parse_query(query), newest_first, within)
    rows_of = Mention.objects.all() if within is None else within
    for ids in chunks:
        rows = rows_of.filter(id__in=ids).select_related("author", "source")
        by_id = {mention.id: mention for mention in rows}
        for mention_id in ids:
            mention = by_id.get(mention_id)
            if mention is not None and matcher.matches(document_for(mention)):
                yield mention


def search(query: str, *, limit: int = 20, offset: int = 0) -> list[Mention]:
    """One page of `iter_matches`."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if offset < 0:
        raise ValueError("offset cannot be negative")
    return list(islice(iter_matches(query), offset, offset + limit))
