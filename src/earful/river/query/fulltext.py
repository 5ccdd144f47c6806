"""Translate a query into a full-text PREFILTER for SQLite FTS5 or PostgreSQL, plus the
words to highlight.

A prefilter must return every document the exact matcher accepts (a superset); the
matcher then filters the candidates. So the translations only keep what the index can
check without ever being stricter than the matcher:

- words become quoted FTS strings; ``acme*`` a prefix; ``ac?e`` the prefix before the
  wildcard (or nothing when the word starts with one);
- phrases, ``~`` and NEAR become an AND of their words: the index keeps title and text in
  separate columns, and a phrase the matcher finds across the title/text boundary would be
  missed by an FTS phrase;
- ``#acme`` / ``@acme`` become plain ``acme`` (the index has no hashtags);
- negations and the author/source/site/lang fields are dropped (treated as "anything"):
  the index cannot decide them exactly, and a superset is always safe.

None means "no useful prefilter": scan with the matcher alone.
"""

from __future__ import annotations

from .nodes import And, Near, Node, Or, Proximity, Terms, Word


def _positive_words(node: Node) -> list[tuple[Word, ...]]:
    """Text words and phrases outside any NOT, in query order."""
    if isinstance(node, Terms):
        return [node.words] if node.field == "text" else []
    if isinstance(node, Proximity):
        return [(word,) for word in node.words] if node.field == "text" else []
    if isinstance(node, Near):
        if node.field != "text":
            return []
        return [terms.words for terms in (*node.left, *node.right)]
    if isinstance(node, And | Or):
        return [words for child in node.children for words in _positive_words(child)]
    return []


def highlight_terms(node: Node) -> list[str]:
    """Positive text words and phrases, folded, e.g. ["acme", "zephyr phone", "batter*"]."""
    seen: dict[str, None] = {}
    for words in _positive_words(node):
        seen.setdefault(" ".join(word.text for word in words), None)
    return list(seen)


# -- SQLite FTS5 ----------------------------------------------------------------------------


def _fts5_word(word: Word) -> str | None:
    if word.is_exact:
        return f'"{word.text}"'
    prefix = word.literal_prefix
    return f'"{prefix}"*' if prefix else None


def to_fts5(node: Node) -> str | None:
    """An FTS5 MATCH expression returning a superset of the matches, or None."""
    if isinstance(node, Terms):
        if node.field != "text":
            return None
        return _fts5_all([_fts5_word(word) for word in node.words])
    if isinstance(node, Proximity):
        return None if node.field != "text" else _fts5_all([_fts5_word(w) for w in node.words])
    if isinstance(node, Near):
        if node.field != "text":
            return None
        return _fts5_all([to_fts5(Or(node.left)), to_fts5(Or(node.right))])
    if isinstance(node, And):
        return _fts5_all([to_fts5(child) for child in node.children])
    if isinstance(node, Or):
        parts = [to_fts5(child) for child in node.children]
        if any(part is None for part in parts):
            return None
        unique = list(dict.fromkeys(parts))
        return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"
    return None  # Not, Site, Lang


def _fts5_all(parts: list[str | None]) -> str | None:
    kept = list(dict.fromkeys(part for part in parts if part is not None))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else "(" + " AND ".join(kept) + ")"


# -- PostgreSQL to_tsquery('simple', ...) ---------------------------------------------------


def _ts_word(word: Word) -> str | None:
    text = word.text if word.is_exact else word.literal_prefix
    if not text:
        return None
    # Always a prefix: the 'simple' parser keeps "acme.com" or "acme-phone" as one lexeme
    # (with the parts only for hyphens), and 'acme':* still finds those.
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"


def to_tsquery(node: Node) -> str | None:
    """A to_tsquery('simple', ...) expression returning a superset of the matches, or None.

    Exact when the indexed text is search_text(...) (the folded words). Over raw text,
    PostgreSQL's 'simple' configuration neither removes diacritics nor splits host names
    ("blog.acme.com" is one lexeme), so such documents can be missed."""
    if isinstance(node, Terms):
        if node.field != "text":
            return None
        return _ts_all([_ts_word(word) for word in node.words])
    if isinstance(node, Proximity):
        return None if node.field != "text" else _ts_all([_ts_word(w) for w in node.words])
    if isinstance(node, Near):
        if node.field != "text":
            return None
        return _ts_all([to_tsquery(Or(node.left)), to_tsquery(Or(node.right))])
    if isinstance(node, And):
        return _ts_all([to_tsquery(child) for child in node.children])
    if isinstance(node, Or):
        parts = [to_tsquery(child) for child in node.children]
        if any(part is None for part in parts):
            return None
        unique = list(dict.fromkeys(parts))
        return unique[0] if len(unique) == 1 else "(" + " | ".join(unique) + ")"
    return None


def _ts_all(parts: list[str | None]) -> str | None:
    kept = list(dict.fromkeys(part for part in parts if part is not None))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else "(" + " & ".join(kept) + ")"
