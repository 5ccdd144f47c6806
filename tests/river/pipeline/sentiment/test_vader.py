"""VADER with its neutral band tuned for tweets."""

from __future__ import annotations

import pytest

from earful.river.pipeline.sentiment.vader import NEGATIVE_BELOW, POSITIVE_ABOVE, VaderEngine


@pytest.fixture(scope="module")
def engine() -> VaderEngine:
    return VaderEngine()


def test_the_band_decides_the_label():
    engine = VaderEngine(negative_below=-0.2, positive_above=0.3)
    assert engine.label(-0.2) == "negative"
    assert engine.label(-0.19) == "neutral"
    assert engine.label(0.3) == "neutral"
    assert engine.label(0.31) == "positive"


def test_shipped_band_is_sane():
    assert -1 < NEGATIVE_BELOW <= POSITIVE_ABOVE < 1


def test_score_is_the_compound_score(engine):
    ((label, value),) = engine.analyse(["I love this phone"])
    assert value == engine.compound_scores(["I love this phone"])[0] > POSITIVE_ABOVE
    assert label == "positive"


def test_escaped_apostrophes_are_read(engine):
    plain, escaped = engine.compound_scores(["I don't like it", "I don\\u2019t like it"])
    assert plain == escaped < 0


@pytest.mark.parametrize(("low", "high"), [(0.5, 0.1), (-2.0, 0.0), (0.0, 1.5)])
def test_impossible_bands_are_refused(low, high):
    with pytest.raises(ValueError, match="negative_below <= positive_above"):
        VaderEngine(negative_below=low, positive_above=high)
