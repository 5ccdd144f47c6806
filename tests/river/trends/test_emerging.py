import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earful.river.query.tokens import words
from earful.river.trends import emerging
from earful.river.trends.emerging import (
    EmergingTerm,
    TermCounts,
    count_terms,
    emerging_terms,
    is_term,
    signed_g2,
)

QUIET_WEEK = [
    "Love the Lumio Arc phone, the camera is stunning",
    "Lumio support sorted my replacement in an hour",
    "Comparing the Arc 3 with the Buds Pro before buying",
    "The Lumio tour stops in Lyon on Friday",
] * 25


def counts(terms: dict[str, int], tokens: int) -> TermCounts:
    return TermCounts(Counter(terms), tokens, texts=1)


def expected_terms(text: str) -> Counter[str]:
    """What count_terms must find in one text, derived from the search tokenizer itself."""
    found = words(text)
    kept = [word if is_term(word) else None for word in found]
    terms = Counter(word for word in kept if word)
    terms.update(f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b)
    return terms


# G²


def test_g2_matches_a_hand_computed_table():
    # 30 of 1000 words now, 10 of 1000 before. Expected counts: 20 | 980 in each row.
    # G² = 2 (30 ln 30/20 + 970 ln 970/980 + 10 ln 10/20 + 990 ln 990/980)
    #    = 2 (12.16395 - 9.94878 - 6.93147 + 10.05078) = 10.6690
    assert signed_g2(30, 10, 1000, 1000) == pytest.approx(10.6690, abs=1e-4)


def test_g2_is_negative_for_a_falling_term_and_zero_for_a_steady_one():
    assert signed_g2(10, 30, 1000, 1000) == pytest.approx(-10.6690, abs=1e-4)
    assert signed_g2(5, 10, 100, 200) == 0.0


def test_g2_of_a_term_absent_before_is_finite():
    # 3 now, 0 before, equal periods: 2 (3 ln 2 + 997 ln 997/998.5 + 1000 ln 1000/998.5)
    assert signed_g2(3, 0, 1000, 1000) == pytest.approx(4.1634, abs=1e-4)
    assert signed_g2(2, 0, 1000, 1000) < 3.84  # two sightings are not significant


def test_g2_weighs_evidence_not_just_the_ratio():
    assert signed_g2(600, 300, 10_000, 10_000) > signed_g2(5, 1, 10_000, 10_000)


def test_g2_without_a_previous_period_is_zero():
    assert signed_g2(50, 0, 1000, 0) == 0.0


def test_g2_rejects_counts_larger_than_their_period():
    with pytest.raises(ValueError, match="between 0 and"):
        signed_g2(11, 0, 10, 10)
    with pytest.raises(ValueError):
        signed_g2(-1, 0, 10, 10)


# counting


def test_no_texts_count_nothing():
    assert count_terms([]) == TermCounts()
    empty = count_terms(["", "   ", "!!!"])
    assert (empty.terms, empty.tokens, empty.texts) == (Counter(), 0, 3)


def test_one_string_instead_of_a_list_is_refused():
    with pytest.raises(TypeError):
        count_terms("battery drain")


def test_stopword_only_texts_count_nothing():
    result = count_terms(
        [
            "It is what it is, and I am not about that!",
            "C'est que je ne suis pas",
            "Das ist nicht so, aber ich bin da",
            "No es lo que yo",
            "Het is niet wat ik",
        ]
    )
    assert (result.terms, result.tokens, result.texts) == (Counter(), 0, 5)


@pytest.mark.parametrize(
    "text, terms",
    [
        ("The Arc keeps crashing since the update", {"arc", "keeps", "crashing", "update"}),
        ("Le service client ne répond jamais", {"service", "client", "repond", "jamais"}),
        ("Das Display ist nach einer Woche kaputt", {"display", "woche", "kaputt"}),
        ("El soporte no contesta y es muy lento", {"soporte", "contesta", "lento"}),
        ("Het scherm is niet goed en ik ben boos", {"scherm", "goed", "boos"}),
    ],
)
def test_stopwords_of_each_language_are_dropped(text, terms):
    unigrams = {term for term in count_terms([text]).terms if " " not in term}
    assert unigrams == terms


def test_words_are_folded_as_search_folds_them():
    result = count_terms(["Café CAFÉ cafe", "Überraschung! naïve Résumé"])
    assert result.terms["cafe"] == 3
    assert {"uberraschung", "naive", "resume"} <= set(result.terms)


def test_numbers_single_letters_and_emoji_runs_are_not_terms():
    result = count_terms(["Arc 3 version 4.2 got x 2026 from 4g 🤔🤔 😀 ok²"])
    assert set(result.terms) == {"arc", "version", "4g", "ok²"}


def test_cjk_and_emoji_texts_split_like_the_index():
    text = "電池がすぐ切れる 🔋🔋 Über die Straße, lol🤣 #Lumio @acme"
    assert count_terms([text]).terms == expected_terms(text)
    assert "電池がすぐ切れる" in count_terms([text]).terms  # unicode61 keeps a CJK run whole


def test_links_leave_no_debris_and_break_bigrams():
    result = count_terms(
        [
            "screen bad https://blog.example.org/p/123?utm_source=feed awful",
            "see WWW.Example.COM/deal today, http://x.io",
        ]
    )
    assert set(result.terms) == {"screen", "bad", "screen bad", "awful", "see", "today"}


def test_bigrams_join_adjacent_kept_words_only():
    result = count_terms(["Battery, drain! Battery of the drain", "battery", "drain today"])
    assert result.terms["battery drain"] == 1  # punctuation between: still adjacent
    assert result.terms["drain battery"] == 1
    assert result.terms["drain today"] == 1
    assert result.terms["battery"] == 3
    # No bigram over a stopword, nor across two texts ("battery" then "drain today").
    assert sum(" " in term for term in result.terms) == 3


def test_tokens_count_the_kept_words():
    assert count_terms(["the battery drain is awful", "ok"]).tokens == 4


def test_counts_of_two_periods_add_up():
    week = count_terms(["battery drain", "screen cracked"])
    more = count_terms(["battery drain again"])
    total = week + more
    assert total == count_terms(["battery drain", "screen cracked", "battery drain again"])
    assert total.texts == 3


def test_large_inputs_are_counted_in_batches_the_same(monkeypatch):
    texts = [f"battery drain day {n} word{n % 7} café" for n in range(50)] + ["new words"]
    whole = count_terms(texts)
    monkeypatch.setattr(emerging, "_BATCH", 4)
    assert count_terms(iter(texts)) == whole
    assert whole.terms["battery drain"] == 50


@given(st.text(max_size=80))
def test_terms_are_exactly_the_search_words(text):
    if "://" in text or "ww." in text.lower():
        return  # links are dropped on purpose
    assert count_terms([text]).terms == expected_terms(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=120))
def test_ascii_fast_path_agrees_with_the_tokenizer(text):
    if "://" in text or "ww." in text.lower():
        return
    assert count_terms([text]).terms == expected_terms(text)


# Separator emoji (🔋😀), emoji unicode61 keeps in words (🤔🤣), Deseret letters that fold
# (𐐀 -> 𐐨), private-use characters, a combining accent, CJK, punctuation.
HARD_ALPHABET = "ab Zé電1.-'" + "🔋😀🤔🤣" + "𐐀𐐨" + "\ue000\ue001" + "\u0301"


@given(st.lists(st.text(alphabet=HARD_ALPHABET, max_size=15), max_size=8))
def test_emoji_and_other_characters_beyond_the_bmp_split_like_the_index(texts):
    expected = sum((expected_terms(text) for text in texts), Counter())
    assert count_terms(texts).terms == expected


def test_emoji_that_unicode61_keeps_in_words_stay_in_them():
    result = count_terms(["lol🤣 so good🔋 𐐀𐐀 \ue000x", "lol🤣 again 🤔🤔"])
    assert result.terms["lol🤣"] == 2
    assert {"good", "𐐨𐐨", "\ue000x"} <= set(result.terms)
    assert "🤔🤔" not in result.terms  # no letter in it


@given(st.lists(st.text(alphabet="ab cé 1🔋.", max_size=12), max_size=6))
def test_counting_texts_together_is_counting_them_apart(texts):
    together = count_terms(texts)
    apart = sum((count_terms([text]) for text in texts), TermCounts())
    assert together.terms == apart.terms
    assert together.tokens == apart.tokens


# emerging terms


def test_a_new_complaint_rises_to_the_top():
    current = (
        QUIET_WEEK
        + [
            "My Arc has a terrible battery drain since firmware 4.3",
            "battery drain again, 30% gone overnight",
            "Anyone else seeing battery drain after the update?",
            "Battery drain is insane since yesterday",
            "firmware 4.3 battery drain, Lumio please fix",
        ]
        * 3
    )
    found = emerging_terms(count_terms(current), count_terms(QUIET_WEEK))
    assert found[0].term == "battery drain"
    assert found[0].previous_count == 0 and found[0].ratio is None
    assert found[0].current_count == 15
    terms = [item.term for item in found]
    assert "battery" not in terms and "drain" not in terms  # shown as the bigram
    assert "the" not in terms and "lumio" not in terms  # stopword; steady brand name
    assert all(item.score > 3.84 for item in found)
    assert [item.score for item in found] == sorted((item.score for item in found), reverse=True)


def test_a_falling_term_does_not_emerge():
    previous = counts({"recall": 40, "screen": 10}, 1000)
    current = counts({"recall": 5, "screen": 40}, 1000)
    assert [item.term for item in emerging_terms(current, previous)] == ["screen"]


def test_a_term_only_in_the_current_period_emerges_with_no_ratio():
    found = emerging_terms(counts({"overheats": 6}, 1000), counts({"camera": 6}, 1000))
    assert found == [EmergingTerm("overheats", 6, 0, pytest.approx(8.33, abs=0.01), None)]


def test_ratio_compares_shares_not_counts():
    found = emerging_terms(counts({"refund": 40}, 2000), counts({"refund": 10}, 1000))
    assert found[0].ratio == pytest.approx(2.0)


def test_rare_terms_are_below_min_count():
    current, previous = counts({"refund": 2, "recall": 3}, 1000), counts({}, 1000)
    assert emerging_terms(current, previous, min_score=0) == [
        EmergingTerm("recall", 3, 0, pytest.approx(4.16, abs=0.01), None)
    ]
    assert emerging_terms(current, previous, min_count=2, min_score=0)[1].term == "refund"


def test_significance_cut_is_adjustable():
    current, previous = counts({"screen": 25}, 1000), counts({"screen": 15}, 1000)
    assert signed_g2(25, 15, 1000, 1000) == pytest.approx(2.58, abs=0.01)
    assert emerging_terms(current, previous) == []
    assert [item.term for item in emerging_terms(current, previous, min_score=1)] == ["screen"]


def test_ties_go_to_alphabetical_order():
    current = counts({"zoom": 10, "alpha": 10, "mid": 10}, 1000)
    found = emerging_terms(current, counts({"other": 30}, 1000))
    assert [item.term for item in found] == ["alpha", "mid", "zoom"]
    assert len({item.score for item in found}) == 1


def test_limit_cuts_after_sorting():
    current = counts({"a1": 10, "b2": 30, "c3": 20}, 1000)
    found = emerging_terms(current, counts({}, 1000), limit=2)
    assert [item.term for item in found] == ["b2", "c3"]
    assert emerging_terms(current, counts({}, 1000), limit=0) == []
    with pytest.raises(ValueError):
        emerging_terms(current, counts({}, 1000), limit=-1)


def test_a_bigram_hides_the_words_it_explains():
    current = counts(
        {
            "battery": 22,
            "drain": 20,
            "battery drain": 18,
            "screen": 40,  # rises mostly on its own: stays
            "screen cracked": 12,
            "cracked": 13,
        },
        2000,
    )
    found = {item.term for item in emerging_terms(current, counts({}, 2000))}
    assert found == {"battery drain", "screen", "screen cracked"}


def test_a_word_is_kept_when_its_bigram_does_not_emerge():
    current = counts({"drain": 20, "battery drain": 20}, 2000)
    previous = counts({"battery drain": 20}, 2000)
    assert [item.term for item in emerging_terms(current, previous)] == ["drain"]


def test_nothing_emerges_without_a_previous_period_or_a_current_one():
    words_now = count_terms(["battery drain"] * 10)
    assert emerging_terms(words_now, TermCounts()) == []
    assert emerging_terms(TermCounts(), words_now) == []
    assert emerging_terms(TermCounts(), TermCounts()) == []


def test_scores_are_finite_for_every_term():
    current = count_terms(QUIET_WEEK + ["overheats"] * 10)
    found = emerging_terms(current, count_terms(QUIET_WEEK), limit=100, min_score=-math.inf)
    assert found and all(math.isfinite(item.score) for item in found)
