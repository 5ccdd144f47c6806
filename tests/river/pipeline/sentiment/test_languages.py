"""Sentiment per language: the model of the text's language, or no label at all."""

from __future__ import annotations

from statistics import mean

import numpy as np
import pytest

from earful.river.pipeline.sentiment import NOT_SCORED, get_engine
from earful.river.pipeline.sentiment.evaluation import (
    UMSAB_LANGUAGES,
    read_umsab,
    score,
    shared_data_dir,
)
from earful.river.pipeline.sentiment.languages import (
    PerLanguageEngine,
    scoring_language,
    shipped_languages,
)
from earful.river.pipeline.sentiment.linear import LinearModel
from earful.river.pipeline.sentiment.tweet_features import HashedNgrams

# The examples of the issue, and a few more a person labels without hesitation.
CLEAR = [
    ("fr", "je déteste ce téléphone, la batterie est nulle", "negative"),
    ("es", "El Halvora Slate 14 es increíble, la pantalla es excelente.", "positive"),
    ("it", "Questo telefono è fantastico, lo adoro!", "positive"),
    ("en", "Switched my whole family to Halvora and nobody regrets it. Brilliant.", "positive"),
    ("en", "Worst phone I ever had, the battery died after a week. Never again.", "negative"),
    ("de", "Ich liebe mein neues Handy, der Bildschirm ist wunderschön!", "positive"),
]


def test_every_language_of_the_issue_ships_a_model():
    assert {"ar", "de", "en", "es", "fr", "hi", "it", "pt"} <= shipped_languages()


@pytest.mark.parametrize(("language", "text", "expected"), CLEAR)
def test_clear_texts_get_the_label_a_person_gives(language, text, expected):
    [(label, value)] = get_engine("linear").analyse([text], [language])
    assert label == expected, (text, label, value)


def test_a_language_without_a_model_gets_no_label_never_a_guess():
    texts = ["この電話は素晴らしい", "Телефон отличный", CLEAR[0][1]]
    results = get_engine("linear").analyse(texts, ["ja", "ru", "fr"])
    assert results[:2] == [(NOT_SCORED, 0.0), (NOT_SCORED, 0.0)]
    assert results[2][0] == "negative"


def test_undetermined_and_unknown_languages_are_read_as_english():
    engine = get_engine("linear")
    text = "I love it, best purchase ever"
    english = engine.analyse([text], ["en"])
    assert engine.analyse([text] * 3, ["und", "", None]) == english * 3
    assert engine.analyse([text]) == english
    assert scoring_language("EN-gb") == "en" and scoring_language("pt-BR") == "pt"
    assert scoring_language("xx") == NOT_SCORED


def test_vader_reads_english_only():
    results = get_engine("vader").analyse(["great!", "génial !"], ["en", "fr"])
    assert results[0][0] == "positive" and results[1] == (NOT_SCORED, 0.0)


def test_languages_must_match_the_texts():
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        get_engine("linear").analyse(["a", "b"], ["en"])


def tiny(bias: list[float]) -> LinearModel:
    return LinearModel(
        labels=["negative", "neutral", "positive"],
        features=HashedNgrams(bits=8),
        buckets=np.array([1]),
        weights=np.zeros((1, 3), dtype=np.float32),
        idf=np.ones(1, dtype=np.float32),
        bias=np.array(bias, dtype=np.float32),
    )


def test_each_text_goes_to_its_own_languages_model_in_order():
    engine = PerLanguageEngine({"aa": tiny([5, 0, 0]), "bb": tiny([0, 0, 5])})
    labels = [label for label, _ in engine.analyse(["1", "2", "3", "4"], ["bb", "aa", "cc", "bb"])]
    assert labels == ["positive", "negative", NOT_SCORED, "positive"]


def test_models_load_only_for_languages_seen():
    engine = PerLanguageEngine()
    engine.analyse(["bonjour"], ["fr"])
    assert set(engine._engines) == {"fr"}


DATA = shared_data_dir()
needs_umsab = pytest.mark.skipif(
    not (DATA / "umsab").is_dir(), reason=f"no UMSAB data in {DATA} (set EARFUL_SHARED_DATA)"
)


@needs_umsab
def test_macro_f1_on_the_umsab_validation_splits():
    """The models never saw these splits (the training script drops them); see
    bench/sentiment_languages.py and docs/sentiment.md for the figures."""
    engine = get_engine("linear")
    f1 = {}
    for code in UMSAB_LANGUAGES:
        texts, gold = read_umsab(DATA, code, "val")
        predicted = [label for label, _ in engine.analyse(texts, [code] * len(texts))]
        f1[code] = score(gold, predicted).macro_f1
    assert mean(f1.values()) >= 0.55, f1
    assert min(f1[code] for code in f1 if code != "hi") >= 0.54, f1
