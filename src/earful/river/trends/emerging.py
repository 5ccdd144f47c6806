"""Emerging terms: words and two-word phrases said relatively more often now than before.

Terms are the words search sees (``query.tokens.words``: split and folded like the FTS5
index, so a term shown on the dashboard finds its mentions when clicked), minus stopwords,
words without a letter (numbers, emoji runs), one-character words and links, plus
*bigrams*: two kept words adjacent in the text. "Battery, drain!" holds the bigram
"battery drain" (a phrase search matches it too); "battery of the drain" holds none, and
neither does the end of one text followed by the start of the next.

A term *emerges* when its share of the current period's words is significantly higher than
its share of the previous period's, by Dunning's log-likelihood ratio G² on the 2x2 table
(this term / all other kept words x current / previous period; bigrams are measured
against the kept words too). Unlike a raw count or a ratio, G² weighs evidence: 300 -> 600
beats 1 -> 5, and a term absent before can emerge (zero cells contribute nothing). Scores
here are signed, negative when the term fell, so one threshold keeps only rises.
G² > 3.84 is p < 0.05 at one degree of freedom, 6.63 is p < 0.01, 10.83 is p < 0.001,
15.13 is p < 0.0001; a dashboard tests thousands of terms at once, so at 3.84 some of the
smaller rises are chance. With two periods of equal size, a term never seen before needs
3 occurrences to pass 3.84.

When a bigram and one of its words both emerge, the word is dropped if the bigram accounts
for at least BIGRAM_COVERAGE (70%) of the word's current count: "drain" rising only because
"battery drain" rises says nothing new. A word that also rises on its own (most of its uses
are outside the bigram) stays.

The dashboard counts two samples of 2,500 texts per request, so count_terms never makes a
string per word: it joins a batch of texts, folds all its characters at once (one
bytes.translate for ASCII texts, a code point table for the others), finds word boundaries
and links with numpy, keys each word by its packed characters and groups equal keys in a
hash table, so only the distinct words become strings (_word_ids). The words are exactly
those of words(), as tests check against a plain per-text reference on random text; a
hash collision between two long words, checked character by character, sends the batch
to that plain path. See bench/emerging_terms.py.
Counts of several periods add up (TermCounts + TermCounts), so days can be counted once
and cached.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, islice

import numpy as np

from earful.river.query.tokens import fold, words
from earful.river.query.unicode61_tables import FOLDS, SEPARATOR_RANGES

# Compact lists of function words, written naturally and folded below like the index folds.
# Words that are also nouns people use about products ("man", "hat", "war", "door", "kind",
# "art", "men") are left out of the non-English lists on purpose; "die" stays in (German and
# Dutch "the": leaving it out would put it on top whenever German posts rise), at the cost
# of English "die" ("batteries die overnight"; "died" and "dies" are still terms).
ENGLISH_STOPWORDS = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further get gets got had has have having he her here hers herself him himself his how i if
in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
don doesn didn isn wasn aren weren won wouldn couldn shouldn haven hasn hadn ll ve re im ive
dont cant since still yet ever even much many though
""".split()
FRENCH_STOPWORDS = """
ai as au aussi aux avec avait avoir bien ça ce ceci cela ces cet cette comme dans de des du
elle elles en es est et été était être eux il ils je la le les leur leurs lui ma mais me même
mes moi mon ne ni nos notre nous on ou où par pas plus pour qu que qui sa se ses si son sont
suis sur ta te tes toi ton tous tout toute très tu un une vos votre vous
""".split()
GERMAN_STOPWORDS = """
aber alle als also am an auch auf aus bei bin bis bist da dann das dass daß dem den der des
dich die dir doch du ein eine einem einen einer eines er es für hab habe haben hatte ich ihm
ihn ihr im in ist ja jetzt kein keine mein meine mich mir mit nach nicht noch nur ob oder
schon sehr sein seine sich sie sind so um und uns unser vom von vor waren was wie wir wird wo
zu zum zur über
""".split()
SPANISH_STOPWORDS = """
al algo ante antes como con contra cual cuando de del desde donde durante el él ella ellas
ellos en entre era es esa ese eso esta está están este esto estoy fue ha hay la las le les lo
los me mi mis muy más nada ni no nos otra otro para pero poco por porque que quien se ser si
sin sobre son su sus también te tiene todo tu tus un una uno unos ya yo
""".split()
DUTCH_STOPWORDS = """
aan al alle als ben bent bij dan dat de die dit doen dus een en er geen had heb hebben heeft
het hij hoe hun ik in is je jij kan kon maar me meer mij mijn met na naar niet niets nog nu of
om ons ook op over te toch tot uit van veel voor was wat we wel wie wij wordt zal ze zei zich
zij zijn zo zou
""".split()
# What is left of links after the tokenizer splits them, and retweet markers.
URL_DEBRIS = "http https www com org net io html htm php amp utm rt".split()

STOPWORDS = frozenset(
    fold(word)
    for word in ENGLISH_STOPWORDS
    + FRENCH_STOPWORDS
    + GERMAN_STOPWORDS
    + SPANISH_STOPWORDS
    + DUTCH_STOPWORDS
    + URL_DEBRIS
)
BIGRAM_COVERAGE = 0.7
# p < 0.05 at one degree of freedom.
SIGNIFICANT_G2 = 3.84

# http(s):// or www. in any case, then up to the next space.
_LINK_RE = re.compile(r"[HhWw](?:(?<=[Hh])[Tt][Tt][Pp][Ss]?://|(?<=[Ww])[Ww][Ww]\.)\S*")
# Joins the texts of a batch so that one pass splits them all: "0" is a pure number, never
# a term, so no bigram spans two texts. A link becomes a "0" too.
_TEXT_BREAK = " 0 "
_BATCH = 20_000
_ID_BITS = 32
_LOW_BITS = (1 << _ID_BITS) - 1
# In the fold table: 0 marks a separator (U+0000 is one, and nothing folds to it), this a
# word character that folding removes (some combining accents).
_DROPPED = 0x110000
_STAND_INS = 0xD800
# A word's key is its folded characters packed in a uint64: 8, 4 or 2 of them, as the
# largest folded code point of the batch allows. Longer words get a hash of them with the
# top bit set; any word whose key has that bit is checked character by character against
# the word it was grouped with.
_LANE_MASKS = {
    width: np.array([(1 << 8 * width * n) - 1 for n in range(8 // width + 1)], dtype=np.uint64)
    for width in (1, 2, 4)
}
_HASHED = np.uint64(1 << 63)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class TermCounts:
    """Term occurrences in one period; `tokens` (kept words) is the period's size for G²."""

    terms: Counter[str] = field(default_factory=Counter)
    tokens: int = 0
    texts: int = 0

    def __add__(self, other: TermCounts) -> TermCounts:
        return TermCounts(
            self.terms + other.terms, self.tokens + other.tokens, self.texts + other.texts
        )


@dataclass(frozen=True)
class EmergingTerm:
    term: str
    current_count: int
    previous_count: int
    score: float  # signed G²
    ratio: float | None  # current share / previous share of the words; None: new this period


def is_term(word: str) -> bool:
    """Whether a folded word is a term: two characters or more, a letter among them (no
    numbers, no runs of emoji, which the tokenizer's Unicode 6.1 tables partly keep as word
    characters), and not a stopword."""
    return len(word) > 1 and any(map(str.isalpha, word)) and word not in STOPWORDS


# Most words of a sample were in the last one.
_is_term = functools.lru_cache(maxsize=1 << 16)(is_term)


@functools.cache
def _fold_table() -> np.ndarray:
    """Code point -> the code point words() folds it to, 0 for a separator, or _DROPPED."""
    table = np.arange(0x110000, dtype=np.uint32)
    table[ord("A") : ord("Z") + 1] += 32
    for code, folded in FOLDS.items():
        table[code] = ord(folded) if folded else _DROPPED
    for start, end in SEPARATOR_RANGES:
        table[start : end + 1] = 0
    return table


@functools.cache
def _ascii_fold() -> bytes:
    """_fold_table for ASCII, as a bytes.translate table."""
    return bytes(_fold_table()[:128].tolist()) + bytes(128)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ... start + length - 1 of each range, concatenated."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.arange(total) + np.repeat(starts - ends + lengths, lengths)


def _blank_links(text: str, codes: np.ndarray) -> np.ndarray:
    """The code points of text with each link replaced by " 0 " and spaces up to its end.

    A link holds "://" 4 or 5 characters after its start or "ww." 1 after it: numpy finds
    those few places, and _LINK_RE tries them from the left as re.sub would (a link
    swallows any other link up to the next space)."""
    colons = np.flatnonzero(codes[4:-2] == ord(":")) + 4
    colons = colons[(codes[colons + 1] == ord("/")) & (codes[colons + 2] == ord("/"))]
    dots = np.flatnonzero(codes[3:] == ord(".")) + 3
    dots = dots[(codes[dots - 1] | 32) == ord("w")]
    dots = dots[(codes[dots - 2] | 32) == ord("w")]
    if not len(colons) and not len(dots):
        return codes
    # http:// or https://, as the character before the colon says.
    candidates = (colons - 4 - ((codes[colons - 1] | 32) == ord("s"))).tolist()
    starts, lengths, end = [], [], 0
    for start in sorted({*candidates, *(dots - 3).tolist()}):
        if start >= end and (link := _LINK_RE.match(text, start)) is not None:
            end = link.end()
            starts.append(start)
            lengths.append(end - start)
    if not starts:
        return codes
    codes = codes.copy()
    codes[_ranges(np.array(starts), np.array(lengths))] = ord(" ")
    codes[np.array(starts) + 1] = ord("0")
    return codes


def _folded(text: str) -> np.ndarray:
    """text's characters folded by _fold_table, links blanked, between zeros: one before,
    8 bytes' worth after (so a uint64 read at any word's start stays inside)."""
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), np.uint8)
        if len(codes) > 3:
            codes = _blank_links(text, codes)
        return np.frombuffer(b"\0" + codes.tobytes().translate(_ascii_fold()) + bytes(8), np.uint8)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), "<u4")
    if len(codes) > 3:
        codes = _blank_links(text, codes)
    folded = np.zeros(len(codes) + 3, "<u4")
    folded[1:-2] = _fold_table()[codes]
    return folded


def _astral_stand_ins(folded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """folded with its characters beyond the BMP (emoji unicode61 keeps in words ...)
    replaced by surrogates, which no folded text holds otherwise, so that two bytes hold
    any character: (folded, the replaced characters by surrogate from _STAND_INS)."""
    positions = np.flatnonzero(folded >= 1 << 16)
    astral = np.unique(folded[positions])
    surrogates = (folded >= _STAND_INS) & (folded < _STAND_INS + 0x800)
    if len(astral) > 0x800 or surrogates.any():
        return folded, np.zeros(0, "<u4")
    folded = folded.copy()
    folded[positions] = _STAND_INS + np.searchsorted(astral, folded[positions])
    return folded, astral


def _mixed(hashes: np.ndarray, lanes: np.ndarray) -> np.ndarray:
    mixed = (hashes ^ lanes) * _MIX
    return mixed ^ (mixed >> np.uint64(29))


def _group(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(an index of each distinct key, the group number of each key): np.unique's index and
    inverse without its sort, through an open-addressed table twice the keys' size."""
    count = len(keys)
    bits = max(8, (2 * count).bit_length())
    slots = ((keys * _MIX) >> np.uint64(64 - bits)).astype(np.intp)
    table = np.empty(1 << bits, np.intp)
    table[slots] = np.arange(count)  # the last key written to each slot owns it
    owner = table[slots]
    clashed = np.flatnonzero(keys[owner] != keys)  # a key whose slot another key owns
    if len(clashed):
        _, first, inverse = np.unique(keys[clashed], return_index=True, return_inverse=True)
        owner[clashed] = clashed[first][inverse.reshape(-1)]
    is_owner = np.zeros(count, bool)
    is_owner[owner] = True
    return np.flatnonzero(is_owner), (np.cumsum(is_owner) - 1)[owner]


def _word_ids(text: str) -> tuple[list[str], np.ndarray] | None:
    """The distinct folded words of text, links left out, and for each word of text its
    index among them; None in the unlikely case two long words share a hash.

    The same words as words(), found with numpy: no string is made or hashed per word
    (which cost most of counting). A word is a run of characters the fold table does not
    mark 0; its key is its characters packed in one uint64, or a hash of them if it is
    longer than 8 ASCII characters or 2 other ones."""
    folded = _folded(text)
    astral = np.zeros(0, "<u4")  # code points beyond the BMP, by their stand-ins
    in_word = folded != 0
    edges = np.flatnonzero(in_word[1:] != in_word[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    if folded.itemsize == 4:
        kept = folded != _DROPPED
        if not kept.all():  # take the dropped characters out, words keep their place
            before = np.cumsum(kept) - kept
            starts, ends = before[starts], before[ends]
            folded = np.concatenate([folded[kept], np.zeros(3, "<u4")])
        # Folded, most texts with accents or emoji fit in a byte a character, or two.
        largest = int(folded.max())
        if largest >= 1 << 16:
            folded, astral = _astral_stand_ins(folded)
            largest = int(folded.max())
        if largest < 1 << 8:
            folded = np.concatenate([folded.astype(np.uint8), np.zeros(8, np.uint8)])
        elif largest < 1 << 16:
            folded = np.concatenate([folded.astype("<u2"), np.zeros(4, "<u2")])
    width = folded.itemsize
    per_lane = 8 // width
    lengths = ends - starts
    lanes = np.ndarray((len(folded) - per_lane + 1,), "<u8", folded, strides=(width,))
    masks = _LANE_MASKS[width]
    keys = lanes[starts] & masks[np.minimum(lengths, per_lane)]
    long = np.flatnonzero(lengths > per_lane)
    if len(long):
        # Each lane mixed with its number, summed per word, mixed with the length.
        lengths_long = lengths[long]
        lane_counts = (lengths_long + per_lane - 1) // per_lane
        numbers = _ranges(np.zeros_like(lane_counts), lane_counts)
        positions = np.repeat(starts[long], lane_counts) + per_lane * numbers
        left = np.repeat(lengths_long, lane_counts) - per_lane * numbers
        mixed = _mixed(
            lanes[positions] & masks[np.minimum(left, per_lane)], numbers.astype(np.uint64) * _MIX
        )
        sums = np.add.reduceat(mixed, np.cumsum(lane_counts) - lane_counts)
        keys[long] = _mixed(sums, lengths_long.astype(np.uint64)) | _HASHED
    first, ids = _group(keys)
    # A hashed key may be another word's hash or packed characters: each word with the top
    # bit set and the one its key was grouped with must have the same characters.
    suspects = np.flatnonzero(keys >= _HASHED)
    if len(suspects):
        same, suspect_lengths = first[ids[suspects]], lengths[suspects]
        if not np.array_equal(lengths[same], suspect_lengths) or not np.array_equal(
            folded[_ranges(starts[suspects], suspect_lengths)],
            folded[_ranges(starts[same], suspect_lengths)],
        ):
            return None
    # The distinct words in one string, each followed by a separator (a 0).
    found = folded[_ranges(starts[first], lengths[first] + 1)]
    if width == 1:
        distinct = found.tobytes().decode("latin-1").split("\0")
    else:
        found = found.astype("<u4")
        if len(astral):
            stand_in = (found >= _STAND_INS) & (found < _STAND_INS + len(astral))
            found[stand_in] = astral[found[stand_in] - _STAND_INS]
        distinct = found.tobytes().decode("utf-32-le", "surrogatepass").split("\0")
    distinct.pop()
    return distinct, ids


def _plain_word_ids(text: str) -> tuple[list[str], np.ndarray]:
    """_word_ids the slower, obvious way: words() and a dictionary."""
    found = words(_LINK_RE.sub(" 0 ", text))
    distinct: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    ids = np.fromiter(map(distinct.__getitem__, found), np.int64, len(found))
    return list(distinct), ids


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    """Batches of texts, ASCII ones and the others apart (the faster path for the first)."""
    iterator = iter(texts)
    while batch := list(islice(iterator, _BATCH)):
        ascii = list(map(str.isascii, batch))
        if not all(ascii):
            yield list(compress(batch, map(operator.not_, ascii)))
        if any(ascii):
            yield list(compress(batch, ascii))


def count_terms(texts: Iterable[str]) -> TermCounts:
    """Count the terms (kept words and bigrams of adjacent kept words) of texts."""
    if isinstance(texts, str):
        raise TypeError("count_terms takes an iterable of texts, not one string")
    vocabulary: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # word -> id
    kept = np.zeros(0, dtype=bool)  # id -> is_term(word)
    unigrams = np.zeros(0, dtype=np.int64)  # id -> count
    pair_keys: list[np.ndarray] = []  # first id << 32 | second id, one array per batch
    pair_counts: list[np.ndarray] = []
    text_count = 0
    for batch in _batches(texts):
        text_count += len(batch)
        joined = _TEXT_BREAK.join(batch)
        found, local_ids = _word_ids(joined) or _plain_word_ids(joined)
        # The batch's own word ids (local) become the call's (global) word by distinct word.
        known = len(vocabulary)
        to_id = np.fromiter(map(vocabulary.__getitem__, found), np.int64, len(found))
        fresh = list(islice(vocabulary, known, None))  # ids known, known + 1, ...
        kept = np.concatenate([kept, np.fromiter(map(_is_term, fresh), bool, len(fresh))])
        unigrams = np.concatenate([unigrams, np.zeros(len(fresh), np.int64)])
        kept_local = kept[to_id]
        unigrams[to_id] += np.bincount(local_ids, minlength=len(found)) * kept_local
        keep = kept_local[local_ids]
        adjacent = np.flatnonzero(keep[:-1] & keep[1:])
        keys = (local_ids[adjacent] << _ID_BITS) | local_ids[adjacent + 1]
        first, groups = _group(keys.astype(np.uint64))
        firsts, seconds = to_id[keys[first] >> _ID_BITS], to_id[keys[first] & _LOW_BITS]
        pair_keys.append(((firsts << _ID_BITS) | seconds).astype(np.uint64))
        pair_counts.append(np.bincount(groups, minlength=len(first)))
    if not pair_keys:
        return TermCounts()
    if len(pair_keys) > 1:
        keys, inverse = np.unique(np.concatenate(pair_keys), return_inverse=True)
        counts = np.bincount(inverse.reshape(-1), weights=np.concatenate(pair_counts))
    else:
        keys, counts = pair_keys[0], pair_counts[0]
    by_id = list(vocabulary)
    present = np.flatnonzero(unigrams)
    terms = dict(
        zip(map(by_id.__getitem__, present.tolist()), unigrams[present].tolist(), strict=True)
    )
    firsts = map(by_id.__getitem__, (keys >> np.uint64(_ID_BITS)).tolist())
    seconds = map(by_id.__getitem__, (keys & np.uint64(_LOW_BITS)).tolist())
    # Bigrams hold a space, words never do: no key of one is a key of the other.
    terms.update(
        zip(
            map(" ".join, zip(firsts, seconds, strict=True)), map(int, counts.tolist()), strict=True
        )
    )
    return TermCounts(Counter(terms), int(unigrams.sum()), text_count)


def _xlogx(value: float) -> float:
    return value * math.log(value) if value > 0 else 0.0


def signed_g2(current: int, previous: int, current_total: int, previous_total: int) -> float:
    """Dunning's G² for a term seen `current` times in `current_total` words and `previous`
    times in `previous_total`; positive when its share rose, negative when it fell."""
    if not (0 <= current <= current_total and 0 <= previous <= previous_total):
        raise ValueError(
            f"counts must be between 0 and their period's total: "
            f"{current}/{current_total}, {previous}/{previous_total}"
        )
    total = current_total + previous_total
    both = current + previous
    # G² = 2 Σ O ln(O / E) over the four cells, written with row and column sums.
    g2 = 2 * (
        _xlogx(current)
        + _xlogx(previous)
        + _xlogx(current_total - current)
        + _xlogx(previous_total - previous)
        - _xlogx(both)
        - _xlogx(total - both)
        - _xlogx(current_total)
        - _xlogx(previous_total)
        + _xlogx(total)
    )
    if g2 <= 0:
        return 0.0  # equal shares (rounding can leave a tiny negative)
    return g2 if current * previous_total > previous * current_total else -g2


def _prefer_bigrams(found: list[EmergingTerm]) -> list[EmergingTerm]:
    unigram_counts = {item.term: item.current_count for item in found if " " not in item.term}
    covered = {
        word
        for item in found
        if " " in item.term
        for word in item.term.split(" ")
        if word in unigram_counts and item.current_count >= BIGRAM_COVERAGE * unigram_counts[word]
    }
    return [item for item in found if item.term not in covered]


def emerging_terms(
    current: TermCounts,
    previous: TermCounts,
    *,
    limit: int = 20,
    min_count: int = 3,
    min_score: float = SIGNIFICANT_G2,
) -> list[EmergingTerm]:
    """The terms that rose most significantly from previous to current, best first.

    Only terms seen at least min_count times now and with a signed G² above min_score;
    ties go to the larger current count, then alphabetical order.
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    now, before = current.tokens, previous.tokens
    found = []
    for term, count in current.terms.items():
        if count < min_count:
            continue
        seen = previous.terms.get(term, 0)
        if count * before <= seen * now:
            continue  # not rising: G² would be 0 or negative
        score = signed_g2(count, seen, now, before)
        if score > min_score:
            ratio = (count / now) / (seen / before) if seen else None
            found.append(EmergingTerm(term, count, seen, score, ratio))
    found = _prefer_bigrams(found)
    found.sort(key=lambda item: (-item.score, -item.current_count, item.term))
    return found[:limit]
