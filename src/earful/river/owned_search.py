"""Text search over one owned app's objects with the river's boolean query language.

An owned app's published objects (board ideas, community questions ...) are owned Mentions
of the app's source, keyed "<prefix><pk>", so they are already in the river's full-text
index (SQLite FTS5 or PostgreSQL's GIN index, river migration 0002). The index narrows the
app's mentions to candidates containing the query's words; the river's exact matcher then
decides, so `"dark mode" -export` or `csv OR excel` mean in the app what they mean in the
console's search. Queries the index cannot narrow (only NOT) are matched against every
mention of the app's kind.

Most searches are a few plain words with AND / OR. For those the index's answer is already
exact (it splits and folds words as the matcher does, hashtags included), so the ids are
never fetched: the index query becomes a subquery of the app's own SQL (`mention_condition`),
and a common word over 10,000 objects costs one index lookup instead of matching thousands
of candidates in Python (420 → ~30 ms, bench/board_page.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Mention, Source
from .query import MatchDocument, compile_query, to_fts5, to_tsquery
from .query.nodes import And, Node, Or, Terms

# The expression of river migration 0002's PostgreSQL index, so the planner uses it.
PG_MATCH = (
    "to_tsvector('simple'::regconfig, earful_search_text(title || ' ' || text)) "
    "@@ to_tsquery('simple'::regconfig, earful_fold(%s))"
)


def _candidates(node: Node, source_id: int, prefix: str) -> Iterable[tuple[int, str, str]]:
    """(mention id, title, text) of the source's mentions keyed with prefix that the index
    finds (all of them when the index cannot narrow the query)."""
    like = prefix + "%"
    if connection.vendor == "sqlite" and (expression := to_fts5(node)) is not None:
        sql = (
            "SELECT m.id, m.title, m.text FROM river_mention_fts f "
            "JOIN river_mention m ON m.id = f.rowid "
            "WHERE river_mention_fts MATCH %s AND m.source_id = %s AND m.external_id LIKE %s"
        )
    elif connection.vendor == "postgresql" and (expression := to_tsquery(node)) is not None:
        sql = (
            f"SELECT id, title, text FROM river_mention WHERE {PG_MATCH} "
            "AND source_id = %s AND external_id LIKE %s"
        )
    else:
        return (
            Mention.objects.filter(source_id=source_id, external_id__startswith=prefix)
            .values_list("id", "title", "text")
            .iterator(chunk_size=2000)
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, source_id, like])
        return cursor.fetchall()


def matching_mention_ids(query: str, source: Source, prefix: str) -> set[int]:
    """Ids of the source's mentions keyed with prefix that match the query. Raises
    QuerySyntaxError (a ValueError with a message for the searcher) on a malformed query."""
    compiled = compile_query(query)
    return {
        mention_id
        for mention_id, title, text in _candidates(compiled.node, source.pk, prefix)
        if compiled.matches(MatchDocument(text=f"{title}\n{text}", source=source.name))
    }


def index_is_exact(node: Node) -> bool:
    """Plain words joined by AND / OR: the index decides them exactly."""
    if isinstance(node, Terms):
        return (
            node.field == "text"
            and len(node.words) == 1
            and node.words[0].is_exact
            and not node.words[0].sigil
        )
    if isinstance(node, And | Or):
        return all(index_is_exact(child) for child in node.children)
    return False


def mention_condition(query: str, source: Source, prefix: str, field: str = "mention_id") -> Q:
    """A condition on the app model's `field` (its mention id) selecting the objects that
    match the query. Raises QuerySyntaxError on a malformed query.

    The fast path does not restrict the index to the source: the app's own table holds
    only its own mention ids, so the join does that."""
    compiled = compile_query(query)
    if index_is_exact(compiled.node):
        if connection.vendor == "sqlite" and (expression := to_fts5(compiled.node)):
            sql = "SELECT rowid FROM river_mention_fts WHERE river_mention_fts MATCH %s"
            return Q(**{f"{field}__in": RawSQL(sql, [expression])})
        if connection.vendor == "postgresql" and (expression := to_tsquery(compiled.node)):
            sql = f"SELECT id FROM river_mention WHERE {PG_MATCH}"
            return Q(**{f"{field}__in": RawSQL(sql, [expression])})
    return Q(**{f"{field}__in": matching_mention_ids(query, source, prefix)})
