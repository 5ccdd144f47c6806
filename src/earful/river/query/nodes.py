"""The parsed form of a query: small immutable nodes that the matcher and the full-text
translations walk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

# Fields searched word by word; the others (site, lang) compare whole values.
WORD_FIELDS = ("text", "author", "source")
FIELDS = (*WORD_FIELDS, "site", "lang")


@dataclass(frozen=True)
class Word:
    """One folded query word; may hold the wildcards * (any run) and ? (one character)."""

    text: str
    sigil: str = ""  # "#" or "@": only the hashtag / handle matches

    @property
    def is_exact(self) -> bool:
        return "*" not in self.text and "?" not in self.text

    @property
    def is_prefix(self) -> bool:
        """Ends with the only wildcard: "acme*"."""
        body = self.text[:-1]
        return self.text.endswith("*") and "*" not in body and "?" not in body

    @property
    def literal_prefix(self) -> str:
        """The characters before the first wildcard."""
        return re.split(r"[*?]", self.text, maxsplit=1)[0]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Matches a vocabulary key (sigil + word) this word accepts."""
        body = "".join(
            ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in self.text
        )
        return re.compile(f"{re.escape(self.sigil)}{body}" if self.sigil else f"(?![#@]){body}")

    def __str__(self) -> str:
        return self.sigil + self.text


@dataclass(frozen=True)
class Terms:
    """A query word, or several that must appear next to each other in order (a phrase,
    or one query word that splits into several: "e-mail", "Zephyr's")."""

    field: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Proximity:
    """ "w1 w2 ..."~n: all the words, in any order, within a window of len(words) + n."""

    field: str
    words: tuple[Word, ...]
    distance: int


@dataclass(frozen=True)
class Near:
    """left NEAR/n right: one alternative of each side with at most n words between them."""

    field: str
    left: tuple[Terms, ...]
    right: tuple[Terms, ...]
    distance: int


@dataclass(frozen=True)
class Site:
    """site:example.com matches example.com and any subdomain of it."""

    host: str


@dataclass(frozen=True)
class Lang:
    """lang:en matches "en" and "en-GB"."""

    code: str


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Terms | Proximity | Near | Site | Lang | And | Or | Not
