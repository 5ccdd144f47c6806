"""Sentiment accuracy per language on the UMSAB validation splits, as the river sees them.

For each of the 8 UMSAB languages: macro-F1 (UMSAB's official metric) of the shipped
engine, twice: with the text's language given (the model of the set's language), and
end to end, with the language detected by the river's language stage, as ingest does (a
text detected as a language without a model gets no label and counts as wrong). Also the
English macro recall on the TweetEval validation split, per-language confusion matrices
(`--confusion`) and the share of texts left unscored.

The models never saw these splits: scripts/train_language_sentiment.py drops every text that
recurs in them before training and compares settings on held-out sources, not on them.

    .venv/bin/python bench/sentiment_languages.py [--engine linear] [--confusion]

Needs ../shared/data (or $EARFUL_SHARED_DATA); exits with a message if it is absent.
"""

from __future__ import annotations

import argparse
import sys
from statistics import mean

from earful.river.pipeline.language import detect_language
from earful.river.pipeline.sentiment import LABELS, NOT_SCORED, get_engine
from earful.river.pipeline.sentiment.evaluation import (
    UMSAB_LANGUAGES,
    read_tweeteval_val,
    read_umsab,
    score,
    shared_data_dir,
)


def scored(gold: list[str], predicted: list[str]):
    """Scores with unscored texts counted as wrong (as a label no gold text has)."""
    wrong = {"negative": "neutral", "neutral": "positive", "positive": "negative"}
    filled = [p if p != NOT_SCORED else wrong[g] for g, p in zip(gold, predicted, strict=True)]
    return score(gold, filled)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="linear")
    parser.add_argument("--confusion", action="store_true", help="print confusion matrices")
    args = parser.parse_args()
    folder = shared_data_dir()
    if not (folder / "umsab").is_dir():
        print(f"no UMSAB data in {folder}; set EARFUL_SHARED_DATA", file=sys.stderr)
        return 2
    engine = get_engine(args.engine)
    print(f"engine {args.engine}; UMSAB val splits; macro-F1")
    print("| language | texts | language given | detected (end to end) | unscored | detected as |")
    print("| --- | --- | --- | --- | --- | --- |")
    given_f1, detected_f1, matrices = {}, {}, {}
    for code in UMSAB_LANGUAGES:
        texts, gold = read_umsab(folder, code, "val")
        given = [label for label, _ in engine.analyse(texts, [code] * len(texts))]
        detected_languages = [detect_language(text) for text in texts]
        detected = [label for label, _ in engine.analyse(texts, detected_languages)]
        given_scores = scored(gold, given)
        given_f1[code] = given_scores.macro_f1
        detected_f1[code] = scored(gold, detected).macro_f1
        matrices[code] = given_scores.confusion
        unscored = sum(label == NOT_SCORED for label in detected) / len(texts)
        share = sum(language == code for language in detected_languages) / len(texts)
        print(
            f"| {code} | {len(texts)} | {given_f1[code]:.4f} | {detected_f1[code]:.4f} "
            f"| {unscored:.1%} | {share:.1%} {code} |",
            flush=True,
        )
    print(
        f"| **average** | | **{mean(given_f1.values()):.4f}** | "
        f"**{mean(detected_f1.values()):.4f}** | | |"
    )
    print(
        f"lowest (language given): {min(given_f1, key=given_f1.get)} {min(given_f1.values()):.4f}"
    )

    texts, gold = read_tweeteval_val(folder)
    english = engine.analyse(texts, ["en"] * len(texts))
    tweeteval = scored(gold, [label for label, _ in english])
    print(
        f"\nTweetEval val (English, 2,000): macro recall {tweeteval.macro_recall:.4f}, "
        f"macro-F1 {tweeteval.macro_f1:.4f}, accuracy {tweeteval.accuracy:.4f}"
    )
    if args.confusion:
        print(
            "\nConfusion (rows gold, columns predicted: " + ", ".join(LABELS) + "), language given"
        )
        for code, matrix in matrices.items():
            rows = " / ".join(" ".join(f"{n:>3}" for n in row) for row in matrix)
            print(f"{code}: {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
