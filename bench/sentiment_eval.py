"""Accuracy of each sentiment engine on the TweetEval sentiment validation split.

Prints macro-averaged recall (TweetEval's official metric), macro-F1, accuracy and the
confusion matrix per engine. For VADER it also shows, for comparison, the thresholds its
README suggests (+-0.05) and thresholds tuned on this very split: the latter is an
in-sample, optimistic figure, never what ships (shipped thresholds are tuned on SemEval
data by scripts/train_sentiment.py).

Needs ../shared/data (or $EARFUL_SHARED_DATA); exits with a message if it is absent.

    .venv/bin/python bench/sentiment_eval.py [--engines vader,linear]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from earful.river.pipeline.sentiment import ENGINES, LABELS, get_engine
from earful.river.pipeline.sentiment.evaluation import (
    Scores,
    read_tweeteval_val,
    score,
    shared_data_dir,
)
from earful.river.pipeline.sentiment.vader import VaderEngine

BATCH = 1000


def print_scores(title: str, scores: Scores) -> None:
    print(f"\n## {title}")
    print(
        f"macro recall {scores.macro_recall:.4f}  macro F1 {scores.macro_f1:.4f}  "
        f"accuracy {scores.accuracy:.4f}"
    )
    print("gold \\ predicted " + " ".join(f"{label:>9}" for label in LABELS))
    for label, row in zip(LABELS, scores.confusion, strict=True):
        print(f"{label:>17} " + " ".join(f"{n:>9}" for n in row))


def val_tuned_vader(compound: np.ndarray, gold: list[str]) -> tuple[float, float, Scores]:
    """Thresholds that maximise macro recall on the split itself (optimistic, in-sample)."""
    grid = np.round(np.arange(-0.95, 0.951, 0.01), 2)
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for low in grid:
        for high in grid[grid >= low]:
            labels = np.where(compound <= low, 0, np.where(compound > high, 2, 1))
            result = score(gold, [LABELS[k] for k in labels]).macro_recall
            if result > best[0] + 1e-12:
                best = (result, float(low), float(high))
    _, low, high = best
    labels = np.where(compound <= low, 0, np.where(compound > high, 2, 1))
    return low, high, score(gold, [LABELS[k] for k in labels])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated names")
    parser.add_argument("--no-vader-variants", action="store_true")
    args = parser.parse_args()

    folder = shared_data_dir()
    if not (folder / "tweeteval-sentiment" / "val_text.txt").is_file():
        print(f"skipped: no TweetEval val split under {folder} (set EARFUL_SHARED_DATA)")
        return 0
    texts, gold = read_tweeteval_val(folder)
    print(f"TweetEval sentiment val split: {len(texts)} tweets from {folder}")

    for name in args.engines.split(","):
        engine = get_engine(name)
        started = time.perf_counter()
        predicted = []
        for start in range(0, len(texts), BATCH):
            predicted += [label for label, _ in engine.analyse(texts[start : start + BATCH])]
        took = time.perf_counter() - started
        print_scores(f"{name} ({took:.1f}s)", score(gold, predicted))

        if name == "vader" and not args.no_vader_variants and isinstance(engine, VaderEngine):
            compound = np.array(engine.compound_scores(texts))
            readme = VaderEngine(negative_below=-0.05, positive_above=0.05)
            labels = [readme.label(c) for c in compound]
            print_scores("vader with its README thresholds (-0.05, 0.05)", score(gold, labels))
            low, high, tuned = val_tuned_vader(compound, gold)
            print_scores(
                f"vader with thresholds tuned ON THIS SPLIT ({low:.2f}, {high:.2f}); "
                "in-sample, optimistic, not shipped",
                tuned,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
