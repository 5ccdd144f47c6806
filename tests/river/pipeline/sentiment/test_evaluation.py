"""Scoring predictions and reading the TweetEval split."""

from __future__ import annotations

import pytest

from earful.river.pipeline.sentiment.evaluation import read_tweeteval_val, score


def test_scores_match_a_hand_computed_example():
    gold = ["negative", "negative", "neutral", "neutral", "positive", "positive"]
    predicted = ["negative", "neutral", "neutral", "neutral", "positive", "negative"]
    result = score(gold, predicted)
    # recalls 1/2, 2/2, 1/2; precisions 1/2, 2/3, 1/1
    assert result.macro_recall == pytest.approx((0.5 + 1 + 0.5) / 3)
    f1 = [2 * 0.5 * 0.5 / 1.0, 2 * (2 / 3) * 1 / (2 / 3 + 1), 2 * 1 * 0.5 / 1.5]
    assert result.macro_f1 == pytest.approx(sum(f1) / 3)
    assert result.accuracy == pytest.approx(4 / 6)
    assert result.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]


@pytest.mark.parametrize(
    ("gold", "predicted", "message"),
    [
        (["positive"], [], "1 gold labels but 0"),
        ([], [], "nothing to score"),
        (["positive"], ["happy"], "labels must be in"),
    ],
)
def test_bad_input_is_refused(gold, predicted, message):
    with pytest.raises(ValueError, match=message):
        score(gold, predicted)


def write_split(folder, texts: str, labels: str):
    base = folder / "tweeteval-sentiment"
    base.mkdir()
    (base / "val_text.txt").write_text(texts, encoding="utf-8")
    (base / "val_labels.txt").write_text(labels, encoding="utf-8")


def test_reads_texts_and_maps_labels(tmp_path):
    write_split(tmp_path, "good day\nbad day\nsome day\n", "2\n0\n1\n")
    assert read_tweeteval_val(tmp_path) == (
        ["good day", "bad day", "some day"],
        ["positive", "negative", "neutral"],
    )


def test_mismatched_or_unknown_labels_are_reported(tmp_path):
    write_split(tmp_path, "good day\nbad day\n", "2\n")
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        read_tweeteval_val(tmp_path)


def test_unknown_label_code_names_its_line(tmp_path):
    write_split(tmp_path, "good day\nbad day\n", "2\n7\n")
    with pytest.raises(ValueError, match="val_labels.txt:2: unknown label '7'"):
        read_tweeteval_val(tmp_path)
