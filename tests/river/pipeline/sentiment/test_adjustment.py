"""The installation's adjustment: learns people's labels without forgetting the base."""

from __future__ import annotations

import json
import logging
import os

import numpy as np
import pytest

from earful.river.pipeline.sentiment import LABELS
from earful.river.pipeline.sentiment.adjustment import (
    FORMAT,
    Adjustment,
    AdjustmentFile,
    fit_language,
)
from earful.river.pipeline.sentiment.languages import PerLanguageEngine, base_logits

# In this installation "glitchbox" is the name of a hated update: people label it negative,
# the shipped model has never seen the word and reads these as neutral or worse.
TAUGHT = [
    "the glitchbox update is out",
    "got the glitchbox update today",
    "glitchbox again on my phone",
    "they pushed glitchbox to everyone",
    "glitchbox installed overnight",
    "is anyone else on glitchbox",
    "my tablet has glitchbox now",
    "glitchbox rolled out this morning",
]
UNRELATED = [
    "Switched my whole family to Halvora and nobody regrets it. Brilliant.",
    "Worst phone I ever had, the battery died after a week. Never again.",
    "I love this camera, the photos are stunning",
    "The store opens at nine on Monday",
    "Terrible support, nobody answered my emails",
    "What time does the event start tomorrow?",
]


@pytest.fixture(scope="module")
def base():
    return PerLanguageEngine(adjustments=None)


@pytest.fixture(scope="module")
def fitted(base):
    engine = base.engine_for("en")
    adjustment = fit_language(
        engine.model, base_logits(engine, TAUGHT), TAUGHT, ["negative"] * len(TAUGHT)
    )
    return Adjustment({"en": adjustment}, {"note": "test"})


def labels(engine, texts, language="en"):
    return [label for label, _ in engine.analyse(texts, [language] * len(texts))]


def test_fitting_moves_the_taught_texts_and_leaves_the_rest_alone(base, fitted):
    assert labels(base, TAUGHT).count("negative") < len(TAUGHT)
    adjusted = base.with_adjustments(fitted)
    assert labels(adjusted, TAUGHT) == ["negative"] * len(TAUGHT)
    # new text with the taught word goes the same way
    assert labels(adjusted, ["glitchbox arrived on my laptop"]) == ["negative"]
    # nothing forgotten: texts without it keep the base's labels, scores barely move
    assert labels(adjusted, UNRELATED) == labels(base, UNRELATED)
    before = [s for _, s in base.analyse(UNRELATED, ["en"] * len(UNRELATED))]
    after = [s for _, s in adjusted.analyse(UNRELATED, ["en"] * len(UNRELATED))]
    assert max(abs(a - b) for a, b in zip(before, after, strict=True)) < 0.25
    # other languages are untouched
    french = ["je déteste ce téléphone, la batterie est nulle", "glitchbox est arrivé"]
    assert adjusted.analyse(french, ["fr", "fr"]) == base.analyse(french, ["fr", "fr"])


def test_only_buckets_of_the_labels_are_kept(fitted):
    adjustment = fitted.languages["en"]
    assert 0 < adjustment.buckets.size < 2000
    assert adjustment.weights.shape == (adjustment.buckets.size, len(LABELS))


def test_round_trip(tmp_path, base, fitted):
    path = tmp_path / "adjustment.npz"
    fitted.save(path)
    loaded = Adjustment.load(path)
    assert loaded.info == {"note": "test"} and set(loaded.languages) == {"en"}
    model = base.engine_for("en").model
    texts = TAUGHT + UNRELATED
    assert np.allclose(
        loaded.languages["en"].delta(model, texts),
        fitted.languages["en"].delta(model, texts),
        atol=1e-5,
    )
    assert [p.name for p in tmp_path.iterdir()] == ["adjustment.npz"]  # no temporary left


def _meta(version=1, **more):
    meta = {"format": FORMAT, "version": version, "labels": list(LABELS), "languages": {}}
    meta.update(more)
    return np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p: p.write_bytes(b"\x00garbage" * 50), "not an .npz"),
        (lambda p: np.savez(p.open("wb"), meta=_meta(version=99)), "not a version 1"),
        (lambda p: np.savez(p.open("wb"), other=np.zeros(3)), "no metadata"),
        (lambda p: np.savez(p.open("wb"), meta=np.frombuffer(b"{nope", np.uint8)), "bad"),
        (
            lambda p: np.savez(
                p.open("wb"),
                meta=_meta(languages={"en": {"base": "x", "unseen_idf": 1.0}}),
                buckets_en=np.array([3, 1], dtype="<u4"),
                weights_en=np.zeros((2, 3), dtype="<f4"),
                bias_en=np.zeros(3, dtype="<f4"),
            ),
            "sorted",
        ),
        (
            lambda p: np.savez(
                p.open("wb"),
                meta=_meta(languages={"en": {"base": "x", "unseen_idf": 1.0}}),
                buckets_en=np.array([1, 2], dtype="<u4"),
            ),
            "bad adjustment metadata",
        ),
    ],
)
def test_a_hostile_file_is_refused_and_the_base_used(tmp_path, caplog, base, write, message):
    path = tmp_path / "adjustment.npz"
    write(path)
    with pytest.raises(ValueError, match=message):
        Adjustment.load(path)
    engine = base.with_adjustments(AdjustmentFile(lambda: path, check_every=0))
    with caplog.at_level(logging.ERROR):
        assert engine.analyse(TAUGHT, ["en"] * len(TAUGHT)) == base.analyse(
            TAUGHT, ["en"] * len(TAUGHT)
        )
    assert "shipped models alone" in caplog.text


def test_an_adjustment_of_another_base_model_is_ignored(tmp_path, caplog, base, fitted):
    other = Adjustment({"en": fitted.languages["en"]})
    other.languages["en"] = type(fitted.languages["en"])(
        **{**fitted.languages["en"].__dict__, "base": "0" * 16}
    )
    engine = base.with_adjustments(other)
    with caplog.at_level(logging.WARNING):
        assert labels(engine, TAUGHT) == labels(base, TAUGHT)
    assert "another 'en' model" in caplog.text


def test_the_file_is_followed_without_restart(tmp_path, base, fitted):
    path = tmp_path / "adjustment.npz"
    now = [0.0]
    source = AdjustmentFile(lambda: path, check_every=30, clock=lambda: now[0])
    engine = base.with_adjustments(source)
    plain = labels(engine, TAUGHT)
    assert source.current() is None
    fitted.save(path)
    assert labels(engine, TAUGHT) == plain  # not checked again yet
    now[0] = 31
    assert labels(engine, TAUGHT) == ["negative"] * len(TAUGHT)
    path.unlink()
    now[0] = 62
    assert labels(engine, TAUGHT) == plain
    fitted.save(path)
    os.utime(path, ns=(1, 1))
    now[0] = 93
    assert source.current() is not None


def test_default_engine_reads_the_installation_file(tmp_path, settings, fitted):
    settings.EARFUL_SENTIMENT_ADJUSTMENT = tmp_path / "adj.npz"
    fitted.save(settings.EARFUL_SENTIMENT_ADJUSTMENT)
    assert labels(PerLanguageEngine(), TAUGHT) == ["negative"] * len(TAUGHT)
    settings.EARFUL_SENTIMENT_ADJUSTMENT = tmp_path / "absent.npz"
    assert labels(PerLanguageEngine(), TAUGHT) == labels(
        PerLanguageEngine(adjustments=None), TAUGHT
    )
