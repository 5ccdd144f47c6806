"""Hashed word and character n-grams of a batch of tweets, computed with numpy.

A batch is normalised as one string (a few regex passes in C instead of one per text),
turned into an array of code points, and every feature is a 64-bit polynomial hash
folded into one of `2**bits` buckets. No Python object is made per token or per n-gram,
which is what makes the linear engine fast. Training (scripts/train_sentiment.py) and
inference call the same `HashedNgrams.featurize`, so they always see the same features.

Features per text: tokens (words, or single symbols such as "!" or an emoji), tokens
after a negation marked as negated (up to `negation_scope` tokens, stopped by
punctuation), token bigrams, and character n-grams of the normalised text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import numpy as np

SEPARATOR = "\x00"

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://[^\s\x00]*|www\.[^\s\x00]*")
_HANDLE = re.compile(r"@\w+")

NEGATIONS = (
    "not no never nothing nobody none nowhere neither nor cannot cant can't dont don't "
    "doesnt doesn't didnt didn't isnt isn't wasnt wasn't arent aren't werent weren't wont "
    "won't wouldnt wouldn't shouldnt shouldn't couldnt couldn't aint ain't hasnt hasn't "
    "havent haven't hadnt hadn't without"
).split()
# Negation words of the other languages a model is trained for, by language code: a model
# names its list in its feature configuration (`HashedNgrams.negations`).
NEGATION_WORDS = {
    "en": NEGATIONS,
    "ar": "لا لم لن ما ليس ليست مش مو بدون غير".split(),
    "de": "nicht kein keine keinen keinem keiner nie niemals nichts niemand ohne weder".split(),
    "es": "no ni nunca jamás jamas nada nadie ningún ningun ninguna ninguno sin tampoco".split(),
    "fr": "ne pas jamais rien personne aucun aucune sans ni".split(),
    "hi": "nahi nahin nhi nai na mat naa bina नहीं नही न मत बिना".split(),
    "it": "non mai niente nulla nessuno nessuna senza né neanche nemmeno".split(),
    "pt": "não nao nunca nada nem ninguém ninguem nenhum nenhuma sem jamais".split(),
    "tr": "değil degil yok hiç hic asla hayır hayir".split(),
}
CLAUSE_BREAKS = ".,;:!?"

# Character classes for code points below 0x10000; anything above (emoji) is a symbol.
_SPACE_CLASS, _WORD_CLASS, _SYMBOL_CLASS, _APOSTROPHE_CLASS = 0, 1, 2, 3


def _character_classes() -> np.ndarray:
    classes = np.full(0x10001, _SYMBOL_CLASS, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        if char.isalnum() or char == "_":
            classes[code] = _WORD_CLASS
        elif char.isspace() or code < 32:
            classes[code] = _SPACE_CLASS
    # Joiners and variation selectors glue emoji together; they are not tokens themselves.
    classes[[0x200B, 0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F]] = _SPACE_CLASS
    classes[ord("'")] = _APOSTROPHE_CLASS
    return classes


_CLASSES = _character_classes()

_PRIME = np.uint64(1_000_003)
_BIGRAM_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_NEGATED_SALT = np.uint64(0x5BD1E9955BD1E995)
_BIGRAM_SALT = np.uint64(0x27D4EB2F165667C5)
_CHAR_SALT = np.uint64(0x165667B19E3779F9)
_MAX_WORD = 256
_POWERS = np.cumprod(np.full(_MAX_WORD, _PRIME, dtype=np.uint64), dtype=np.uint64)


def _decode_escape(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code else " "


def decode_escapes(text: str) -> str:
    """Literal `\\uXXXX` escapes (as some exports write tweets) as the characters they
    stand for; `\\u0000` as a space."""
    return _ESCAPE.sub(_decode_escape, text) if "\\u" in text else text


def normalise_batch(texts: Sequence[str]) -> str:
    """All texts as one lower-case string, `NUL text NUL text ... NUL`.

    Literal `\\uXXXX` escapes and HTML entities are decoded, URLs dropped and @handles
    made `@user`. Spaces and repeated letters are collapsed later, by `code_points`.
    """
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:
        joined = SEPARATOR.join(text.replace(SEPARATOR, " ") for text in texts)
    joined = decode_escapes(joined)
    if "&" in joined:
        joined = html.unescape(joined)
    joined = joined.replace("\u2019", "'").replace("\u2018", "'")
    joined = _URL.sub(" ", joined)
    joined = _HANDLE.sub("@user", joined)
    joined = SEPARATOR + " " + joined.lower().replace(SEPARATOR, " \x00 ") + " " + SEPARATOR
    if joined.count(SEPARATOR) != len(texts) + 1:  # pragma: no cover - guards the invariant
        raise AssertionError("normalisation changed the number of texts")
    return joined


def code_points(normalised: str) -> np.ndarray:
    """Code points (uint64) with whitespace runs made one space and runs of 3+ equal
    characters cut to two ("soooo" -> "soo"). Lone surrogates are kept as they are."""
    return _points_and_classes(normalised)[0]


def _points_and_classes(normalised: str) -> tuple[np.ndarray, np.ndarray]:
    """`code_points` and the character class of each (what `_CLASSES` says of it)."""
    raw = np.frombuffer(normalised.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _CLASSES[np.minimum(raw, 0x10000)]
    points = raw.astype(np.uint64)
    # White space becomes " ", whose class is white space too: `classes` stays right.
    space = (classes == _SPACE_CLASS) & (raw != 0)
    points[space] = 32
    keep = np.ones(points.size, dtype=bool)
    same = points[1:] == points[:-1]
    keep[2:] = ~(same[1:] & same[:-1])
    keep[1:] &= ~(space[1:] & space[:-1])
    return points[keep], classes[keep]


@dataclass(frozen=True)
class Tokens:
    """Tokens of a batch: their hash, the text each belongs to, first code point, length."""

    hashes: np.ndarray
    text: np.ndarray
    first: np.ndarray
    is_symbol: np.ndarray


def tokens(points: np.ndarray, text_of: np.ndarray, classes: np.ndarray | None = None) -> Tokens:
    """Words (letters, digits, inner apostrophes) and single symbols of a code point array
    (`classes`: their character classes, when already known)."""
    if classes is None:
        classes = _CLASSES[np.minimum(points, 0x10000)]
    word = classes == _WORD_CLASS
    apostrophe = classes == _APOSTROPHE_CLASS
    inner = np.zeros_like(word)
    inner[1:-1] = apostrophe[1:-1] & word[:-2] & word[2:]
    symbol = (classes == _SYMBOL_CLASS) | (apostrophe & ~inner)
    word |= inner
    previous_word = np.zeros_like(word)
    previous_word[1:] = word[:-1]
    starts = (word & ~previous_word) | symbol

    where = np.flatnonzero(word | symbol)
    if where.size == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return Tokens(empty, np.zeros(0, dtype=np.intp), empty, np.zeros(0, dtype=bool))
    is_start = starts[where]
    first_char = np.flatnonzero(is_start)
    token_of_char = np.cumsum(is_start) - 1
    offset = np.arange(where.size) - first_char[token_of_char]
    powers = _POWERS[np.minimum(offset, _MAX_WORD - 1)]
    hashes = np.add.reduceat(points[where] * powers, first_char)
    begin = where[first_char]
    return Tokens(hashes, text_of[begin], points[begin], symbol[begin])


def _token_hashes(words: Sequence[str]) -> np.ndarray:
    points = code_points(normalise_batch(words))
    text_of = np.cumsum(points == 0) - 1
    return tokens(points, text_of).hashes


_NEGATION_HASHES = _token_hashes(NEGATIONS)


@cache
def negation_hashes(language: str) -> np.ndarray:
    """Token hashes of the negation words of `language` (a key of NEGATION_WORDS)."""
    return _token_hashes(NEGATION_WORDS[language])


_BREAK_POINTS = np.array([ord(c) for c in CLAUSE_BREAKS], dtype=np.uint64)


def negated(found: Tokens, scope: int, negations: np.ndarray = _NEGATION_HASHES) -> np.ndarray:
    """True for tokens within `scope` tokens after a negation, in the same clause."""
    count = found.hashes.size
    index = np.arange(count)
    is_negation = np.isin(found.hashes, negations)
    is_break = found.is_symbol & np.isin(found.first, _BREAK_POINTS)
    starts_text = np.ones(count, dtype=bool)
    starts_text[1:] = found.text[1:] != found.text[:-1]
    last_negation = np.maximum.accumulate(np.where(is_negation, index, -1))
    before = np.full(count, -1)
    before[1:] = last_negation[:-1]
    last_reset = np.maximum.accumulate(np.where(is_break | starts_text, index, -1))
    return (before >= 0) & (before >= last_reset) & (index - before <= scope) & ~is_break


@dataclass(frozen=True)
class HashedNgrams:
    """Feature configuration; `featurize` maps texts to (text index, bucket) pairs."""

    bits: int = 20
    word_bigrams: bool = True
    char_ngrams: tuple[int, int] = (2, 5)
    negation_scope: int = 3
    negations: str = "en"  # whose negation words mark the tokens after them (NEGATION_WORDS)

    def __post_init__(self) -> None:
        if self.negations not in NEGATION_WORDS:
            raise ValueError(f"no negation words for {self.negations!r}")
        if not 8 <= self.bits <= 26:
            raise ValueError(f"bits must be between 8 and 26, not {self.bits}")
        low, high = self.char_ngrams
        if not 0 <= low <= high <= 8:
            raise ValueError(f"bad character n-gram range {self.char_ngrams}")

    def featurize(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """Every feature occurrence as (index of its text, bucket); repeats are kept.

        The third value is how many of the occurrences (the first ones) are word
        features; the rest are character n-grams. The two groups are normalised apart.
        """
        return self.occurrences(texts, slots=False)

    def occurrences(
        self, texts: Sequence[str], *, slots: bool
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """`featurize`; with `slots`, each occurrence's owner is its group of its text
        instead (2 * text for word features, 2 * text + 1 for character n-grams), what
        the linear engine sums by. Same occurrences, in the same order, either way.

        Written for few passes over the arrays: the hashes of all groups go straight
        into one preallocated array, which is mixed and shifted into buckets in place.
        """
        points, classes = _points_and_classes(normalise_batch(texts))
        is_separator = points == 0
        separators_before = np.empty(points.size + 1, dtype=np.intp)
        separators_before[0] = 0
        np.cumsum(is_separator, out=separators_before[1:])
        text_of = separators_before[1:] - 1
        found = tokens(points, text_of, classes)

        marked = negated(found, self.negation_scope, negation_hashes(self.negations))
        word_hashes = found.hashes ^ (marked * _NEGATED_SALT)
        word_owner = found.text * 2 if slots else found.text
        pieces: list[tuple[np.ndarray, np.ndarray | None]] = [(word_hashes, None)]
        owners = [word_owner]
        if self.word_bigrams and found.hashes.size > 1:
            same = found.text[1:] == found.text[:-1]
            pair = word_hashes[:-1] * _BIGRAM_PRIME
            pair += word_hashes[1:]
            pair ^= _BIGRAM_SALT
            pieces.append((pair, same))
            owners.append(word_owner[1:][same])
        words = sum(len(owner) for owner in owners)

        low, high = self.char_ngrams
        char_owner = text_of * 2 + 1 if slots else text_of
        salts = []
        rolling = points
        for n in range(2, high + 1):
            rolling = rolling[:-1] * _PRIME + points[n - 1 :]
            if n < max(low, 2):
                continue
            size = rolling.size
            clean = separators_before[n : n + size] == separators_before[:size]
            pieces.append((rolling, clean))
            owners.append(char_owner[:size][clean])
            salts.append(_CHAR_SALT * np.uint64(n))

        counts = [len(owner) for owner in owners]
        every = np.empty(sum(counts), dtype=np.uint64)
        start = 0
        char_pieces = len(pieces) - len(salts)
        for index, ((values, keep), count) in enumerate(zip(pieces, counts, strict=True)):
            part = every[start : start + count]
            if keep is None:
                part[...] = values
            else:
                np.compress(keep, values, out=part)
            if index >= char_pieces:
                part ^= salts[index - char_pieces]
            start += count
        every ^= every >> np.uint64(29)
        every *= _MIX
        every >>= np.uint64(64 - self.bits)
        # Below 2**bits, so the same numbers read as signed: no copy for the buckets.
        return np.concatenate(owners), every.view(np.intp), words

    def params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> HashedNgrams:
        try:
            return cls(
                bits=int(params["bits"]),
                word_bigrams=bool(params["word_bigrams"]),
                char_ngrams=(int(params["char_ngrams"][0]), int(params["char_ngrams"][1])),
                negation_scope=int(params["negation_scope"]),
                negations=str(params.get("negations", "en")),
            )
        except (KeyError, IndexError, TypeError) as error:
            raise ValueError(f"bad feature configuration {params!r}: {error}") from None
