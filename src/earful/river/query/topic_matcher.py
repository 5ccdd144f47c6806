"""TopicMatcher: which of many saved topic queries each document of a batch matches.

Evaluating 200 queries on every document would make ingest 200 times slower, so each
topic gets a cheap necessary condition: a set of literals of which at least one must occur
in the document's folded words (" acme ", " zephyr phone ", " batter" for battery*).
One Aho-Corasick automaton holds the literals of all topics; a document's words are joined
by single spaces (" w1 w2 ... ") and scanned once, and only the topics whose literal showed
up, plus those without any positive requirement (pure NOT, field-only queries), are
evaluated exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ahocorasick

from .matcher import MatchDocument, PreparedDocument, compile_node
from .nodes import And, Near, Node, Not, Or, Proximity, Terms, Word
from .parser import QuerySyntaxError, parse_query


def _word_literal(word: Word) -> str:
    """What the word must leave in " w1 w2 ": " acme " exact, " acm" for acm*, "" if nothing."""
    if word.is_exact:
        return f" {word.text} "
    prefix = word.literal_prefix
    return f" {prefix}" if prefix else ""


def _terms_literal(words: tuple[Word, ...]) -> str:
    """The longest literal a run of consecutive words leaves in the joined text."""
    best = ""
    for start in range(len(words)):
        literal = " "
        for word in words[start:]:
            if word.is_exact:
                literal += word.text + " "
                continue
            literal += word.literal_prefix
            break
        if len(literal.strip()) > len(best.strip()):
            best = literal
    return best if best.strip() else ""


def required_literals(node: Node) -> frozenset[str] | None:
    """Literals of which one must occur in any document the node matches; None if there is
    no such requirement (negations, fields other than text)."""
    if isinstance(node, Terms):
        if node.field != "text":
            return None
        literal = _terms_literal(node.words)
        return frozenset([literal]) if literal else None
    if isinstance(node, Proximity):
        if node.field != "text":
            return None
        return _best([_single(_terms_literal((word,))) for word in node.words])
    if isinstance(node, Near):
        if node.field != "text":
            return None
        sides = [
            required_literals(Or(side)) if len(side) > 1 else required_literals(side[0])
            for side in (node.left, node.right)
        ]
        return _best(sides)
    if isinstance(node, And):
        return _best([required_literals(child) for child in node.children])
    if isinstance(node, Or):
        union: set[str] = set()
        for child in node.children:
            literals = required_literals(child)
            if literals is None:
                return None
            union |= literals
        return frozenset(union)
    if isinstance(node, Not):
        return None
    return None  # Site, Lang


def _single(literal: str) -> frozenset[str] | None:
    return frozenset([literal]) if literal else None


def _best(options: list[frozenset[str] | None]) -> frozenset[str] | None:
    """The most selective requirement: its shortest literal is the longest."""
    present = [option for option in options if option]
    if not present:
        return None
    return max(present, key=lambda option: (min(len(x) for x in option), -len(option)))


class TopicMatcher:
    """Compile topics once, then ``match_many(documents)`` -> matching topic ids per document.

    A topic whose query does not parse never matches; its error is kept in ``errors``
    (topic id -> message) so one bad saved query does not stop ingest."""

    def __init__(self, topics: Iterable[tuple[int, str]]) -> None:
        self.errors: dict[int, str] = {}
        compiled: list[tuple[int, Node]] = []
        seen: set[int] = set()
        for topic_id, query in topics:
            if topic_id in seen:
                raise ValueError(f"topic id {topic_id} is given twice")
            seen.add(topic_id)
            try:
                compiled.append((topic_id, parse_query(query)))
            except QuerySyntaxError as exc:
                self.errors[topic_id] = str(exc)
        compiled.sort(key=lambda item: item[0])
        self.topic_ids = [topic_id for topic_id, _ in compiled]
        self._predicates = [compile_node(node) for _, node in compiled]
        self._always = 0  # bit i set: topic i has no literal requirement
        masks: dict[str, int] = {}
        for index, (_, node) in enumerate(compiled):
            literals = required_literals(node)
            if literals is None:
                self._always |= 1 << index
                continue
            for literal in literals:
                masks[literal] = masks.get(literal, 0) | 1 << index
        self._automaton: ahocorasick.Automaton | None = None
        if masks:
            self._automaton = ahocorasick.Automaton()
            for literal, mask in masks.items():
                self._automaton.add_word(literal, mask)
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.topic_ids)

    def candidates(self, document: PreparedDocument) -> int:
        """Bit mask of the topics worth evaluating exactly for this document."""
        mask = self._always
        if self._automaton is not None and document.text.words:
            joined = " " + " ".join(document.text.words) + " "
            for _, found in self._automaton.iter(joined):
                mask |= found
        return mask

    def match_prepared(self, document: PreparedDocument) -> list[int]:
        matched = []
        mask = self.candidates(document)
        predicates, ids = self._predicates, self.topic_ids
        while mask:
            low = mask & -mask
            index = low.bit_length() - 1
            if predicates[index](document):
                matched.append(ids[index])
            mask ^= low
        return matched

    def match(self, document: MatchDocument) -> list[int]:
        return self.match_prepared(PreparedDocument(document))

    def match_many(self, documents: Sequence[MatchDocument]) -> list[list[int]]:
        """Matching topic ids, ascending, for each document in order."""
        return [self.match_prepared(PreparedDocument(document)) for document in documents]

    def match_naively(self, document: MatchDocument) -> list[int]:
        """Every topic evaluated, no prefilter: the reference the prefilter must agree with."""
        prepared = PreparedDocument(document)
        return [
            topic_id
            for topic_id, predicate in zip(self.topic_ids, self._predicates, strict=True)
            if predicate(prepared)
        ]
