"""count_terms against a plain reference: each text on its own, links cut by the documented
rule, split and folded by the search tokenizer, terms and bigrams counted in a Counter."""

import math
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earful.river.query.tokens import words
from earful.river.trends import emerging
from earful.river.trends.emerging import (
    TermCounts,
    count_terms,
    emerging_terms,
    is_term,
    signed_g2,
)

LINK = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)\S*")


def reference_counts(texts: list[str]) -> TermCounts:
    terms: Counter[str] = Counter()
    tokens = 0
    for text in texts:
        kept = [word if is_term(word) else None for word in words(LINK.sub(" 0 ", text))]
        tokens += sum(word is not None for word in kept)
        terms.update(word for word in kept if word)
        terms.update(f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b)
    return TermCounts(terms, tokens, len(texts))


PIECES = [
    # words in several languages, cases and accents (composed and combining)
    "Battery", "DRAIN", "battery", "café", "CAFÉ", "cafe\u0301", "Überraschung", "naïve",
    "répond", "Straße", "kaputt", "contesta", "scherm", "ok²", "4g", "µ", "ΣΊΣΥΦΟΣ", "İstanbul",
    "电池", "電池がすぐ切れる", "배터리", "батарея", "Ｆｕｌｌｗｉｄｔｈ",
    # stop words of each language, numbers, single letters
    "the", "and", "de", "die", "het", "y", "ne", "pas", "4.3", "2026", "0", "x", "I",
    # long words, some sharing a long prefix
    "supercalifragilistic", "aaaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaac", "aaaaaaaab", "aaaaaaaac",
    "Kundendienstmitarbeiterin", "x" * 70, "é" * 9,
    # hashtags, handles, links and things that look like them
    "#Lumio", "@acme", "#", "@", "me@acme.com", "https://blog.example.org/p/1?utm_source=feed",
    "http://x.io", "HTTPS://EXAMPLE.COM/A", "WWW.Example.COM/deal", "wWw.mixed.case", "www.",
    "xhttps://glued", "http//not-a-link", "://", "ww.", "hTTp://", "https:/", "wwww.four",
    # emoji (separators and the ones unicode61 keeps in words), other planes, private use
    "😡", "🔋", "🤔", "🤣", "lol🤣", "👍🏽", "𐐀𐐨", "\U0001d400", "\ue000", "\U000f0000",
    # a combining accent on its own, a lone surrogate, NUL
    "\u0301", "\u0308", "\ud800", "\x00",
    # separators, including whitespace that ends a link and whitespace that does not exist in ASCII
    " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\x1c", "\x85",
    ",", ".", "!", "?", "'", "-", "_", "/", ":", "…", "«", "»",
]  # fmt: skip
texts_of_pieces = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
any_text = st.text(max_size=60)
some_texts = st.lists(st.one_of(texts_of_pieces, any_text, st.just("")), max_size=12)


@settings(max_examples=300)
@given(some_texts)
def test_counts_match_the_reference(texts):
    assert count_terms(texts) == reference_counts(texts)


@given(st.lists(texts_of_pieces, max_size=12), st.integers(1, 5))
def test_counts_match_the_reference_in_small_batches(texts, size):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emerging, "_BATCH", size)
        assert count_terms(iter(texts)) == reference_counts(texts)


@given(st.lists(texts_of_pieces, max_size=12))
def test_counts_match_the_reference_when_every_hash_clashes(texts):
    # With a zero multiplier every key lands in one slot and every long word has one hash:
    # the clash and collision paths must still count exactly.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emerging, "_MIX", emerging.np.uint64(0))
        assert count_terms(texts) == reference_counts(texts)


def test_long_words_with_a_common_prefix_stay_apart():
    prefix = "a" * 40
    texts = [f"{prefix}b {prefix}c {prefix}b", f"Ü{prefix}b Ü{prefix}c"]
    result = count_terms(texts)
    assert result == reference_counts(texts)
    assert result.terms[f"{prefix}b"] == 2 and result.terms[f"{prefix}c"] == 1
    assert result.terms[f"u{prefix}b u{prefix}c"] == 1


def test_an_ascii_word_counts_once_with_its_spelling_in_other_texts():
    texts = ["battery drain", "Battery drain 🔋", "batterie déchargée", "BATTERY DRAIN ✨"]
    result = count_terms(texts)
    assert result == reference_counts(texts)
    assert result.terms["battery drain"] == 3


def test_links_are_cut_at_any_whitespace():
    texts = ["see https://x.io/a\u3000battery drain", "www.x.io\u00a0café bad", "wWw.x.io ok fine"]
    result = count_terms(texts)
    assert result == reference_counts(texts)
    assert {"battery drain", "cafe bad", "ok fine"} <= set(result.terms)
    assert not {"io", "x"} & set(result.terms)


def test_thousands_of_texts_count_like_the_reference():
    pieces = ["Lumio Arc phone", "battery drain since firmware 4.3", "😡", "déçu", "#gadgets"]
    texts = [
        " ".join(pieces[(n * k) % len(pieces)] for k in range(n % 7)) + f" https://e.net/p/{n}"
        for n in range(3000)
    ]
    assert count_terms(texts) == reference_counts(texts)


@pytest.mark.parametrize(
    "texts",
    [
        # Latin-1 after folding, then the BMP, then characters beyond it kept in words
        ["Straße café ÆØÅ øre naïve", "Ωμέγα ΣΊΣΥΦΟΣ µ", "電池 배터리 батарея", "lol🤣 🤔ok 𐐀𐐨x"],
        # beyond the BMP beside a lone surrogate, which no stand-in may be confused with
        ["lol🤣 \ud800x 🤣lol \ud800x", "\udfff🤣 🤣\udfff"],
        # more distinct characters beyond the BMP than there are stand-ins
        [" ".join(chr(0x20000 + n) + chr(0x20001 + n) for n in range(3000))] * 2,
    ],
)
def test_every_width_of_folded_characters_counts_like_the_reference(texts):
    assert count_terms(texts) == reference_counts(texts)


def test_emerging_scores_are_exactly_signed_g2():
    before = ["battery ok", "screen fine", "arc phone good"] * 40
    now = before[:90] + ["battery drain", "screen cracked", "battery drain arc"] * 12
    current, previous = count_terms(now), count_terms(before)
    found = emerging_terms(current, previous, limit=1000, min_count=1, min_score=-math.inf)
    assert found
    for item in found:
        expected = signed_g2(
            item.current_count, item.previous_count, current.tokens, previous.tokens
        )
        assert item.score == expected and math.copysign(1, item.score) == 1
