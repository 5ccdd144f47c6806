"""Word tokens, split and folded exactly as the full-text index does.

A *word* is a maximal run of characters that SQLite FTS5's ``unicode61`` tokenizer keeps
in a token (letters, digits, combining marks and a few symbols; see unicode61_tables.py).
Everything else separates words: spaces, punctuation, apostrophes, hyphens, ``#``, ``@``,
``_``, emoji. So "Zephyr's" is the two words ``zephyr`` ``s`` and "e-mail" is ``e`` ``mail``.

Words are folded like ``remove_diacritics 2``: ASCII letters lower-cased, other characters
folded only where SQLite folds them (case, Latin diacritics, dropped combining accents).
Python's own ``str.lower`` is not used on non-ASCII text because it knows letters SQLite
does not; matching them would make Python accept documents the index cannot return.

A word right after a ``#`` or ``@`` that itself starts a word (``#acmephone``, ``@acme``,
but not the ``acme`` in ``me@acme.com``) is also recorded with that sigil, so queries can
ask for the hashtag or handle specifically; a plain query word matches either.
"""

from __future__ import annotations

import re

from .unicode61_tables import FOLDS, SEPARATOR_RANGES

SIGILS = "#@"
WILDCARDS = "*?"

_FOLD_TABLE: dict[int, str] = {
    **FOLDS,
    **{cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)},
}
_BMP_SEPARATOR_RANGES = tuple((start, end) for start, end in SEPARATOR_RANGES if end <= 0xFFFF)


def _separator_class(allowed: str = "") -> str:
    """A regex class body listing the separator ranges, minus the characters in allowed."""
    parts = []
    for start, end in _BMP_SEPARATOR_RANGES:
        current = start
        for char in sorted(allowed):
            if start <= ord(char) <= end:
                if current < ord(char):
                    parts.append((current, ord(char) - 1))
                current = ord(char) + 1
        if current <= end:
            parts.append((current, end))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in parts
    )


_SEPARATORS = _separator_class()
_BMP_WORD = f"[^{_SEPARATORS}\U00010000-\U0010ffff]"
_ASTRAL_WORD = (
    "["
    + "".join(
        f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" if a < b else ""
        for a, b in zip(
            [0x10000] + [end + 1 for start, end in SEPARATOR_RANGES if start > 0xFFFF],
            [start for start, end in SEPARATOR_RANGES if start > 0xFFFF] + [0x110000],
            strict=True,
        )
    )
    + "]"
)
_ASCII_WORD_RE = re.compile("[0-9A-Za-z]+")
_BMP_WORD_RE = re.compile(f"{_BMP_WORD}+")
# Slower: only for text holding characters beyond the BMP (emoji and the like).
_FULL_WORD_RE = re.compile(f"(?:{_BMP_WORD}|{_ASTRAL_WORD})+")
# A sigil counts only where it starts a word itself: not after a letter, digit or sigil.
_STARTS_WORD = (
    f"(?<![^{_separator_class(SIGILS)}\U00010000-\U0010ffff])(?<!{_ASTRAL_WORD})(?<![#@])"
)
_SIGIL_RE = re.compile("[#@]")
_STARTS_WORD_RE = re.compile(_STARTS_WORD)
_WORD_AT_RE = re.compile(f"(?:{_BMP_WORD}|{_ASTRAL_WORD})+")
_ANY_WORD_RE = re.compile(f"(?:{_STARTS_WORD}([#@]))?((?:{_BMP_WORD}|{_ASTRAL_WORD})+)")
# Query words may also hold the wildcards * and ?.
QUERY_WORD_RE = re.compile(
    f"(?:[^{_separator_class(WILDCARDS)}\U00010000-\U0010ffff]|{_ASTRAL_WORD})+"
)


def fold(text: str) -> str:
    """Case- and accent-fold text the way the FTS5 index does; separators are kept."""
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)


def _fold_words(found: list[str]) -> list[str]:
    return [word.lower() if word.isascii() else word.translate(_FOLD_TABLE) for word in found]


def words(text: str) -> list[str]:
    """The folded words of text, in order."""
    if text.isascii():
        return _ASCII_WORD_RE.findall(text.lower())
    if max(text) > "\uffff":
        return _fold_words(_FULL_WORD_RE.findall(text))
    return _fold_words(_BMP_WORD_RE.findall(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of each word of text, for highlighting."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD_AT_RE.finditer(text)]


def sigil_words(text: str) -> list[str]:
    """Hashtags and handles in text, folded: ["#acmephone", "@acme"]."""
    if "#" not in text and "@" not in text:
        return []
    found = []
    for sigil in _SIGIL_RE.finditer(text):
        start = sigil.start()
        if start and _STARTS_WORD_RE.match(text, start) is None:
            continue
        word = _WORD_AT_RE.match(text, start + 1)
        if word is not None:
            found.append(sigil.group() + fold(word.group()))
    return found


def search_text(text: str) -> str:
    """The folded words of text joined by spaces: what to index for an exact-token search."""
    return " ".join(words(text))


class TokenisedText:
    """One field of a document, split once and shared by every query that looks at it."""

    __slots__ = ("text", "words", "vocabulary", "_positions", "_sigils")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = words(text)
        # Words, plus sigil + word for hashtags and handles ("#acmephone").
        self.vocabulary = set(self.words)
        self.vocabulary.update(sigil_words(text))
        self._positions: dict[str, list[int]] | None = None
        self._sigils: dict[int, str] | None = None

    @property
    def sigils(self) -> dict[int, str]:
        """Position -> sigil of the words written as hashtags or handles."""
        if self._sigils is None:
            self._sigils = {}
            if "#" in self.text or "@" in self.text:
                for position, (sigil, _) in enumerate(_ANY_WORD_RE.findall(self.text)):
                    if sigil:
                        self._sigils[position] = sigil
        return self._sigils

    @property
    def positions(self) -> dict[str, list[int]]:
        """Word (or sigil + word) -> ascending positions; built on first use."""
        if self._positions is None:
            index: dict[str, list[int]] = {}
            for position, word in enumerate(self.words):
                index.setdefault(word, []).append(position)
            for position, sigil in sorted(self.sigils.items()):
                index.setdefault(sigil + self.words[position], []).append(position)
            self._positions = index
        return self._positions
