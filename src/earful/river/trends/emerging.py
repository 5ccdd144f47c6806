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

The dashboard feeds count_terms tens of thousands of texts per request, so it tokenises a
whole batch per call and counts word ids in numpy arrays. Two shortcuts give exactly the
words of words(), as tests check on random text: ASCII texts are split by one translate
and split (3x faster than its regex), and characters beyond the BMP, which send words() to
a 3x slower regex, are replaced beforehand (_replace_astral). See bench/emerging_terms.py.
Counts of several periods add up (TermCounts + TermCounts), so days can be counted once
and cached.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from earful.river.query.tokens import fold, words
from earful.river.query.unicode61_tables import SEPARATOR_RANGES

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

# http(s):// or www. in any case, then up to the next space. The single class in front lets
# the regex engine skip quickly to candidate positions (2x faster than an alternation).
_LINK_RE = re.compile(r"[HhWw](?:(?<=[Hh])[Tt][Tt][Pp][Ss]?://|(?<=[Ww])[Ww][Ww]\.)\S*")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_SEPARATORS = frozenset(
    chr(code) for start, end in SEPARATOR_RANGES for code in range(max(start, 0x10000), end + 1)
)
# Private-use characters: word characters to unicode61, never folded.
_STAND_IN_START, _STAND_INS = 0xE000, 0x1900
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
# Joins the texts of a batch so that one tokenizer call splits them all: "0" is a pure
# number, never a term, so no bigram spans two texts.
_TEXT_BREAK = " 0 "
# ASCII text: the same words as words()'s ASCII rule ([0-9A-Za-z]+, lower-cased), in one
# translate + split, about 3x faster than the regex on a long string.
_ASCII_FOLD = str.maketrans(
    {
        chr(code): (chr(code).lower() if chr(code).isalnum() else " ")
        for code in range(128)
        if not chr(code).islower() and not chr(code).isdigit()
    }
)
_BATCH = 20_000
_ID_BITS = 32


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


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def _without_links(text: str) -> str:
    # A number in place of the link, so the words around it do not become a bigram.
    return _LINK_RE.sub(" 0 ", text)


def _replace_astral(texts: list[str]) -> tuple[list[str], list[str], dict[str, str]]:
    """Texts holding characters beyond the BMP (emoji ...), rewritten so that words() takes
    its fast path on them and splits them the same: (texts now free of such characters,
    texts holding private-use stand-ins, stand-in -> folded original).

    words() takes a ~3x slower regex for any string with such a character. Each becomes a
    space where unicode61 separates words (most emoji; the text is often plain ASCII then),
    else a private-use stand-in, a word character too, put back in the words found. Texts
    that already hold private-use characters keep their own and are among the first list.
    """
    stand_ins: dict[str, str] = {}

    def stand_in(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ASTRAL_SEPARATORS:
            return " "
        if char not in stand_ins:
            stand_ins[char] = chr(_STAND_IN_START + len(stand_ins))
        return stand_ins[char]

    free, with_stand_ins = [], []
    for text in texts:
        if _PRIVATE_USE_RE.search(text) or len(stand_ins) + len(text) > _STAND_INS:
            free.append(text)  # left as it is: words() takes its slower path on it
            continue
        text = _ASTRAL_RE.sub(stand_in, text)
        if _PRIVATE_USE_RE.search(text):
            with_stand_ins.append(text)
        else:
            free.append(text)
    return free, with_stand_ins, {stand: fold(char) for char, stand in stand_ins.items()}


def _batch_words(texts: list[str]) -> list[str]:
    """The folded words of all texts, with a number (never a term) between two texts."""
    texts = [
        _without_links(text) if "://" in text or "ww." in text or "WW." in text else text
        for text in texts
    ]
    plain = [text for text in texts if text.isascii()]
    other = [text for text in texts if not text.isascii()]
    astral = [text for text in other if _ASTRAL_RE.search(text)]
    with_stand_ins: list[str] = []
    if astral:
        other = [text for text in other if not _ASTRAL_RE.search(text)]
        free, with_stand_ins, originals = _replace_astral(astral)
        plain.extend(text for text in free if text.isascii())
        other.extend(text for text in free if not text.isascii())
    found = _TEXT_BREAK.join(plain).translate(_ASCII_FOLD).split()
    if other:
        found.append("0")
        found.extend(words(_TEXT_BREAK.join(other)))
    if with_stand_ins:
        # Words hold no spaces: join them, put the originals back in one pass, split.
        joined = " ".join(words(_TEXT_BREAK.join(with_stand_ins)))
        found.append("0")
        found.extend(_PRIVATE_USE_RE.sub(lambda m: originals[m.group()], joined).split(" "))
    return found


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
        found = _batch_words(batch)
        known = len(vocabulary)
        ids = np.fromiter(map(vocabulary.__getitem__, found), np.int64, len(found))
        fresh = list(islice(vocabulary, known, None))  # ids known, known + 1, ...
        kept = np.concatenate([kept, np.fromiter(map(is_term, fresh), bool, len(fresh))])
        keep = kept[ids]
        batch_unigrams = np.bincount(ids[keep], minlength=len(vocabulary))
        batch_unigrams[: len(unigrams)] += unigrams
        unigrams = batch_unigrams
        adjacent = keep[:-1] & keep[1:]
        keys, counts = np.unique(
            (ids[:-1][adjacent] << _ID_BITS) | ids[1:][adjacent], return_counts=True
        )
        pair_keys.append(keys)
        pair_counts.append(counts)
    if not pair_keys:
        return TermCounts()
    if len(pair_keys) > 1:
        keys, inverse = np.unique(np.concatenate(pair_keys), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate(pair_counts)).astype(np.int64)
    else:
        keys, counts = pair_keys[0], pair_counts[0]
    by_id = list(vocabulary)
    present = np.flatnonzero(unigrams)
    terms = Counter(
        dict(zip([by_id[i] for i in present.tolist()], unigrams[present].tolist(), strict=True))
    )
    firsts = (keys >> _ID_BITS).tolist()
    seconds = (keys & ((1 << _ID_BITS) - 1)).tolist()
    bigrams = [
        f"{by_id[first]} {by_id[second]}" for first, second in zip(firsts, seconds, strict=True)
    ]
    terms.update(dict(zip(bigrams, counts.tolist(), strict=True)))
    return TermCounts(terms, int(unigrams.sum()), text_count)


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
