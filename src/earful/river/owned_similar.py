"""Owned objects like a draft (ideas like a new idea, questions like a new question), shown
before it is posted so people join the existing one instead of repeating it.

Choice: candidates come from the river's full-text index (an owned app's published objects
are owned Mentions, already indexed), ranked by the index's own relevance (SQLite FTS5 bm25
with the title weighted 4x, PostgreSQL ts_rank); the best CANDIDATES are then re-ranked
here by

- word overlap: cosine similarity of the two texts' content words (the river's stop
  words dropped, each word cut to its first STEM letters so "export", "exports" and
  "exporting" agree), title words counting TITLE_WEIGHT times; and
- shingle similarity: the Jaccard similarity of the 5-byte shingles as estimated by the
  river's MinHash signatures (pipeline/near_duplicates.py), which rewards the same
  phrasing and catches near-copies whatever their words' order.

SQL LIKE on words finds neither reordered nor inflected words and scans every row; MinHash
alone misses short drafts that say the same in other words (two titles share few
shingles). The index keeps this fast on a large app: one indexed query, then a few dozen
candidates scored in Python. The app maps the scored mention ids back to its own rows and
decides which of them are live (board/similar.py, community/similar.py).
"""

from __future__ import annotations

import math
from collections import Counter

from django.db import connection

from .owned_search import PG_MATCH
from .pipeline.near_duplicates import signatures
from .query.tokens import words
from .trends.emerging import STOPWORDS

STEM = 6
TITLE_WEIGHT = 2
MAX_WORDS = 16  # of the draft, for the index query
CANDIDATES = 40
MIN_SCORE = 0.2
WORD_SHARE = 0.75  # the rest is shingle similarity
MAX_DRAFT = 5_000  # characters of the draft considered


def content_words(text: str) -> list[str]:
    """Folded words worth comparing: no stop words, no one- or two-letter words, stemmed."""
    return [w[:STEM] for w in words(text) if len(w) > 2 and w not in STOPWORDS]


def _bag(title: str, body: str) -> Counter:
    bag = Counter(content_words(body))
    for word in content_words(title):
        bag[word] += TITLE_WEIGHT
    return bag


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm


def _index_expression(terms: list[str]) -> str:
    if connection.vendor == "postgresql":
        return " | ".join("'" + term.replace("'", "''") + "':*" for term in terms)
    return " OR ".join(f'"{term}"*' for term in terms)


def _candidate_mentions(
    terms: list[str], source_id: int, prefix: str, candidates: int
) -> list[tuple[int, str, str]]:
    expression = _index_expression(terms)
    like = prefix + "%"  # prefixes are the apps' constants ("idea-"), no wildcards
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id, title, text FROM river_mention "
            f"WHERE {PG_MATCH} AND source_id = %s AND external_id LIKE %s "
            "ORDER BY ts_rank(to_tsvector('simple'::regconfig, "
            "earful_search_text(title || ' ' || text)), "
            "to_tsquery('simple'::regconfig, earful_fold(%s))) DESC LIMIT %s"
        )
        params = [expression, source_id, like, expression, candidates]
    else:
        sql = (
            "SELECT m.id, m.title, m.text FROM river_mention_fts f "
            "JOIN river_mention m ON m.id = f.rowid "
            "WHERE river_mention_fts MATCH %s AND m.source_id = %s AND m.external_id LIKE %s "
            "ORDER BY bm25(river_mention_fts, 4.0, 1.0) LIMIT %s"
        )
        params = [expression, source_id, like, candidates]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def similar_mentions(
    title: str, body: str, *, source_id: int, prefix: str, candidates: int = CANDIDATES
) -> dict[int, float]:
    """{mention id: score from 0 to 1} of the source's mentions keyed with prefix that are
    like the draft, at least MIN_SCORE; empty when the draft has no words worth comparing."""
    title, body = (title or "")[:MAX_DRAFT], (body or "")[:MAX_DRAFT]
    draft = _bag(title, body)
    if not draft:
        return {}
    # The draft's title words first, then the body's commonest.
    terms = list(dict.fromkeys([*content_words(title), *(w for w, _ in draft.most_common())]))
    terms = [t for t in terms if t.isalnum()][:MAX_WORDS]
    if not terms:
        return {}
    rows = _candidate_mentions(terms, source_id, prefix, candidates)
    if not rows:
        return {}
    signature_rows = signatures([f"{title}\n{body}", *(f"{t}\n{x}" for _, t, x in rows)])
    shingle_similarity = (signature_rows[1:] == signature_rows[0]).mean(axis=1)
    scores: dict[int, float] = {}
    for (mention_id, cand_title, cand_text), shingles in zip(rows, shingle_similarity, strict=True):
        word_score = _cosine(draft, _bag(cand_title, cand_text))
        score = WORD_SHARE * word_score + (1 - WORD_SHARE) * float(shingles)
        if score >= MIN_SCORE:
            scores[mention_id] = round(score, 3)
    return scores
