"""The shipped linear model: its file, its engine, its accuracy on real tweets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from earful.river.pipeline.sentiment.evaluation import (
    read_tweeteval_val,
    score,
    shared_data_dir,
)
from earful.river.pipeline.sentiment.linear import MODEL_PATH, LinearEngine, LinearModel
from earful.river.pipeline.sentiment.tweet_features import HashedNgrams


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return LinearModel.load()


@pytest.fixture(scope="module")
def engine(model) -> LinearEngine:
    return LinearEngine(model)


def test_shipped_model_loads_with_the_expected_shape(model):
    size = model.buckets.size
    assert sorted(model.labels) == ["negative", "neutral", "positive"]
    assert model.weights.shape == (size, 3)
    assert model.idf.shape == (size,) and model.bias.shape == (3,)
    assert 10_000 < size <= 2**model.features.bits
    assert np.all(model.idf > 0)
    assert "semeval" in model.info["trained_on"] and model.info["language"] == "en"


def test_shipped_model_file_is_compact():
    assert MODEL_PATH.stat().st_size < 4_000_000


def tiny_model(**changes) -> LinearModel:
    fields = {
        "labels": ["negative", "neutral", "positive"],
        "features": HashedNgrams(bits=8),
        "buckets": np.array([1, 5, 9]),
        "weights": np.arange(9, dtype=np.float32).reshape(3, 3) - 4,
        "idf": np.array([1.0, 2.0, 3.0], dtype=np.float32),
        "bias": np.array([0.1, 0.2, -0.3], dtype=np.float32),
    }
    return LinearModel(**(fields | changes))


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "model.npz"
    original = tiny_model()
    original.save(path)
    loaded = LinearModel.load(path)
    assert loaded.features == original.features
    assert np.array_equal(loaded.buckets, original.buckets)
    assert np.allclose(loaded.weights, original.weights)
    texts = ["any text at all", "🙂", ""]
    assert np.allclose(
        LinearEngine(loaded).probabilities(texts), LinearEngine(original).probabilities(texts)
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"buckets": np.array([1, 5, 300])}, "below 2\\*\\*bits"),
        ({"buckets": np.array([5, 1, 9])}, "unique, sorted"),
        ({"weights": np.zeros((2, 3), dtype=np.float32)}, "do not match"),
        ({"bias": np.zeros(2, dtype=np.float32)}, "bias shape"),
        ({"idf": np.array([1.0, np.nan, 1.0], dtype=np.float32)}, "not finite"),
        ({"labels": ["bad", "neutral", "positive"]}, "three sentiments"),
    ],
)
def test_inconsistent_models_are_refused(tmp_path, changes, message):
    path = tmp_path / "model.npz"
    tiny_model(**changes).save(path)
    with pytest.raises(ValueError, match=message):
        LinearModel.load(path)


def test_files_that_are_not_models_are_refused(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="cannot read sentiment model"):
        LinearModel.load(garbage)
    other = tmp_path / "other.npz"
    np.savez(other, something=np.zeros(3))
    with pytest.raises(ValueError, match="missing"):
        LinearModel.load(other)


def test_probabilities_sum_to_one_and_score_is_their_difference(engine):
    texts = ["what a lovely day", "meh", "this is awful"]
    probs = engine.probabilities(texts)
    assert np.allclose(probs.sum(axis=1), 1.0)
    for (label, value), row in zip(engine.analyse(texts), probs, strict=True):
        assert label == engine.labels[int(row.argmax())]
        assert value == pytest.approx(row[2] - row[0], abs=1e-4)


def test_negation_flips_a_clear_opinion(engine):
    (good, _), (not_good, _) = engine.analyse(
        ["this update is good", "this update is not good at all"]
    )
    assert good == "positive" and not_good == "negative"


def test_same_scores_in_another_process_with_another_hash_seed(engine):
    texts = ["Loving the new update!!", "@support my order never arrived :("]
    code = (
        "from earful.river.pipeline.sentiment.linear import LinearEngine;"
        f"print(LinearEngine().analyse({texts!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert result.stdout.strip() == repr(engine.analyse(texts))


DATA = shared_data_dir()


@pytest.mark.skipif(
    not (DATA / "tweeteval-sentiment" / "val_text.txt").is_file(),
    reason=f"no TweetEval val split under {DATA}",
)
def test_shipped_model_reaches_the_goal_on_the_tweeteval_val_split(engine):
    texts, gold = read_tweeteval_val(DATA)
    result = score(gold, [label for label, _ in engine.analyse(texts)])
    assert result.macro_recall >= 0.63
    assert result.macro_f1 >= 0.60


def test_models_of_another_format_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    tiny_model().save(path)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["meta"] = np.frombuffer(b'{"format": "something-else", "version": 1}', dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="is not a version 2 earful-linear-sentiment file"):
        LinearModel.load(path)
