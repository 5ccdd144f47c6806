"""Exact evaluation of a parsed query against one document.

A query compiles once into nested closures; a document is tokenised once into a
PreparedDocument that every query shares (the text eagerly, the other fields on demand).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from .nodes import And, Lang, Near, Node, Not, Or, Proximity, Site, Terms, Word
from .parser import parse_query
from .tokens import TokenisedText


@dataclass(frozen=True)
class MatchDocument:
    text: str
    author: str = ""
    site: str = ""
    lang: str = ""
    source: str = ""


class PreparedDocument:
    """A document tokenised once, for all the queries it is matched against."""

    __slots__ = ("document", "text", "_author", "_source")

    def __init__(self, document: MatchDocument) -> None:
        self.document = document
        self.text = TokenisedText(document.text or "")
        self._author: TokenisedText | None = None
        self._source: TokenisedText | None = None

    def field(self, name: str) -> TokenisedText:
        if name == "text":
            return self.text
        if name == "author":
            if self._author is None:
                self._author = TokenisedText(self.document.author or "")
            return self._author
        if self._source is None:
            self._source = TokenisedText(self.document.source or "")
        return self._source

    @property
    def host(self) -> str:
        return (self.document.site or "").strip().lower().rstrip(".")

    @property
    def lang(self) -> str:
        return (self.document.lang or "").strip().lower().replace("_", "-")


Predicate = Callable[[PreparedDocument], bool]


class Query:
    """A compiled query: ``compile_query(text).matches(document)``."""

    def __init__(self, node: Node, text: str = "") -> None:
        self.node = node
        self.text = text
        self._predicate = compile_node(node)

    def matches(self, document: MatchDocument) -> bool:
        return self._predicate(PreparedDocument(document))

    def matches_prepared(self, document: PreparedDocument) -> bool:
        return self._predicate(document)


def compile_query(text: str) -> Query:
    """Parse and compile; raises QuerySyntaxError for a bad query."""
    return Query(parse_query(text), text)


def compile_node(node: Node) -> Predicate:
    if isinstance(node, Terms):
        return _compile_terms(node)
    if isinstance(node, And):
        parts = [compile_node(child) for child in _cheap_first(node.children)]
        return lambda doc: all(part(doc) for part in parts)
    if isinstance(node, Or):
        parts = [compile_node(child) for child in _cheap_first(node.children)]
        return lambda doc: any(part(doc) for part in parts)
    if isinstance(node, Not):
        inner = compile_node(node.child)
        return lambda doc: not inner(doc)
    if isinstance(node, Proximity):
        return _compile_proximity(node)
    if isinstance(node, Near):
        return _compile_near(node)
    if isinstance(node, Site):
        host, suffix = node.host, "." + node.host
        return lambda doc: (h := doc.host) == host or h.endswith(suffix)
    if isinstance(node, Lang):
        code, prefix = node.code, node.code + "-"
        return lambda doc: (lang := doc.lang) == code or lang.startswith(prefix)
    raise TypeError(f"not a query node: {node!r}")


def _cost(node: Node) -> int:
    """Rough evaluation cost, so cheap set lookups run before positional checks."""
    if isinstance(node, Terms):
        return 1 if len(node.words) == 1 and node.words[0].is_exact else 3
    if isinstance(node, Site | Lang):
        return 1
    if isinstance(node, Not):
        return _cost(node.child)
    if isinstance(node, And | Or):
        return sum(_cost(child) for child in node.children)
    return 10


def _cheap_first(children: tuple[Node, ...]) -> list[Node]:
    return sorted(children, key=_cost)


# -- single words ---------------------------------------------------------------------------


def _word_in(word: Word) -> Callable[[TokenisedText], bool]:
    """Does the field contain the word anywhere?"""
    key = word.sigil + word.text
    if word.is_exact:
        return lambda tokens: key in tokens.vocabulary
    if word.is_prefix:
        stem = key[:-1]
        return lambda tokens: any(entry.startswith(stem) for entry in tokens.vocabulary)
    pattern = word.pattern.fullmatch
    return lambda tokens: any(pattern(entry) for entry in tokens.vocabulary)


def _word_positions(word: Word, tokens: TokenisedText) -> list[int]:
    index = tokens.positions
    key = word.sigil + word.text
    if word.is_exact:
        return index.get(key, [])
    if word.is_prefix:
        stem = key[:-1]
        found = [positions for entry, positions in index.items() if entry.startswith(stem)]
    else:
        fullmatch = word.pattern.fullmatch
        found = [positions for entry, positions in index.items() if fullmatch(entry)]
    if len(found) == 1:
        return found[0]
    return sorted({position for positions in found for position in positions})


def _word_at(word: Word, tokens: TokenisedText, position: int) -> bool:
    if position >= len(tokens.words):
        return False
    text = tokens.words[position]
    if word.sigil and tokens.sigils.get(position) != word.sigil:
        return False
    if word.is_exact:
        return text == word.text
    if word.is_prefix:
        return text.startswith(word.text[:-1])
    return word.pattern.fullmatch(word.sigil + text) is not None


# -- words and phrases ----------------------------------------------------------------------


def phrase_starts(words: tuple[Word, ...], tokens: TokenisedText) -> list[int]:
    """Positions where the words occur one after another."""
    first, rest = words[0], words[1:]
    return [
        start
        for start in _word_positions(first, tokens)
        if all(_word_at(word, tokens, start + offset) for offset, word in enumerate(rest, 1))
    ]


def _compile_terms(node: Terms) -> Predicate:
    field, words = node.field, node.words
    if len(words) == 1:
        contains = _word_in(words[0])
        if field == "text":
            return lambda doc: contains(doc.text)
        return lambda doc: contains(doc.field(field))
    checks = [_word_in(word) for word in words]

    def phrase(doc: PreparedDocument) -> bool:
        tokens = doc.field(field)
        if not all(check(tokens) for check in checks):
            return False
        return bool(phrase_starts(words, tokens))

    return phrase


# -- proximity ------------------------------------------------------------------------------


def _compile_proximity(node: Proximity) -> Predicate:
    field, words = node.field, node.words
    width = len(words) + node.distance
    checks = [_word_in(word) for word in words]

    def near(doc: PreparedDocument) -> bool:
        tokens = doc.field(field)
        if not all(check(tokens) for check in checks):
            return False
        return _fits_window([_word_positions(word, tokens) for word in words], width)

    return near


def _fits_window(lists: list[list[int]], width: int) -> bool:
    """Can each list give a distinct position, all inside some window of width words?"""
    if any(not positions for positions in lists):
        return False
    order = sorted(range(len(lists)), key=lambda i: len(lists[i]))
    for start in sorted({p for positions in lists for p in positions}):
        end = start + width - 1
        windows = [
            positions[bisect_left(positions, start) : bisect_right(positions, end)]
            for positions in (lists[i] for i in order)
        ]
        if all(windows) and _distinct_choice(windows, 0, set()):
            return True
    return False


def _distinct_choice(windows: list[list[int]], index: int, used: set[int]) -> bool:
    if index == len(windows):
        return True
    for position in windows[index]:
        if position not in used:
            used.add(position)
            if _distinct_choice(windows, index + 1, used):
                return True
            used.discard(position)
    return False


# -- NEAR -----------------------------------------------------------------------------------


def _spans(alternatives: tuple[Terms, ...], tokens: TokenisedText) -> list[tuple[int, int]]:
    """(first, last) word positions of every occurrence of any alternative, by first."""
    spans = []
    for terms in alternatives:
        length = len(terms.words)
        spans.extend((start, start + length - 1) for start in phrase_starts(terms.words, tokens))
    spans.sort()
    return spans


def _compile_near(node: Near) -> Predicate:
    field, distance = node.field, node.distance
    left_checks = [_compile_terms(terms) for terms in node.left]
    right_checks = [_compile_terms(terms) for terms in node.right]

    def near(doc: PreparedDocument) -> bool:
        if not any(check(doc) for check in left_checks):
            return False
        if not any(check(doc) for check in right_checks):
            return False
        tokens = doc.field(field)
        return spans_within(_spans(node.left, tokens), _spans(node.right, tokens), distance)

    return near


def spans_within(left: list[tuple[int, int]], right: list[tuple[int, int]], gap: int) -> bool:
    """Is some left span within gap words of some right span (either order, no overlap)?"""
    right_starts = [start for start, _ in right]
    by_end = sorted(right, key=lambda span: span[1])
    right_ends = [end for _, end in by_end]
    for start, end in left:
        # right after left: its first word in end+1 .. end+1+gap
        if bisect_right(right_starts, end + 1 + gap) > bisect_left(right_starts, end + 1):
            return True
        # right before left: its last word in start-1-gap .. start-1
        if bisect_right(right_ends, start - 1) > bisect_left(right_ends, start - 1 - gap):
            return True
    return False
