"""Mark the words of a text that a query matched, for search results."""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import Node, highlight_terms
from .query.tokens import WILDCARDS, word_spans


def _word_matches(pattern: str, word: str) -> bool:
    if any(w in pattern for w in WILDCARDS):
        return fnmatchcase(word, pattern.replace("[", "[[]"))
    return pattern == word


def matched_spans(text: str, node: Node) -> list[tuple[int, int]]:
    """Character spans of the words and phrases of `node` (outside NOTs) found in text."""
    phrases = [term.split(" ") for term in highlight_terms(node)]
    if not phrases or not text:
        return []
    spans = word_spans(text)
    marked: set[int] = set()
    for index in range(len(spans)):
        for phrase in phrases:
            if index + len(phrase) > len(spans):
                continue
            if all(_word_matches(p, spans[index + k][2]) for k, p in enumerate(phrase)):
                marked.update(range(index, index + len(phrase)))
    found: list[tuple[int, int]] = []
    for index in sorted(marked):
        start, end, _ = spans[index]
        # Adjacent words of one phrase become one mark, including the space between them.
        if found and index - 1 in marked and text[found[-1][1] : start].strip() == "":
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def highlight(text: str, node: Node | None) -> SafeString:
    """The text, HTML-escaped, with matched words wrapped in <mark>."""
    if node is None:
        return escape(text)
    parts = []
    position = 0
    for start, end in matched_spans(text, node):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
