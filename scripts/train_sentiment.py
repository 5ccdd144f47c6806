"""Rebuild Earful's linear sentiment model and re-tune the VADER neutral band.

Reads the SemEval 2013-2016 Twitter sets from the shared data folder (never from the
repository: the tweets are not ours to ship) and writes
src/earful/river/pipeline/sentiment/data/linear-sentiment.json.gz, which holds feature
strings and weights only.

Every SemEval tweet whose text recurs in the TweetEval validation split (our measurement
set, see bench/sentiment_eval.py) is dropped first, so nothing here is ever tuned or
trained on the tweets it is measured on. Model choices (C, features) are made on a fixed
held-out tenth of the remaining SemEval tweets; the shipped model is then trained on all
of them. The VADER thresholds are tuned on the SemEval train and dev files only.

    pip install -e '.[train]'
    python scripts/train_sentiment.py              # train, write the model, print thresholds
    python scripts/train_sentiment.py --select     # also compare settings on the held-out part
    python scripts/train_sentiment.py --vader-only # just print the tuned VADER thresholds

Deterministic: fixed seeds, sorted inputs, a single-threaded solver.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from earful.river.pipeline.sentiment.linear import (  # noqa: E402
    MODEL_PATH,
    Featurizer,
    LinearEngine,
    LinearModel,
)

LABELS = ["negative", "neutral", "positive"]
SEED = 20130
HOLDOUT_PERCENT = 10
# Settings compared by --select; the first one of DEFAULTS is what ships.
DEFAULT_FEATURIZER = Featurizer(word_ngrams=2, char_ngrams=(2, 5))
DEFAULT_C = 2.0
DEFAULT_MIN_DF = 2


def data_dir() -> Path:
    env = os.environ.get("EARFUL_SHARED_DATA")
    return Path(env) if env else REPO / ".." / "shared" / "data"


# -- reading and de-duplicating ------------------------------------------------------------

_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")


def match_key(text: str) -> str:
    """Letters and digits only, handles as @user, URLs gone: the same tweet, however copied."""
    text = html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)).lower()
    text = re.sub(r"http\S*", "", text)
    text = re.sub(r"@\w+(?:['\u2019]s)?", "@user", text)
    return re.sub(r"[^a-z0-9@]+", "", text)


def read_semeval(folder: Path) -> list[tuple[str, str, str]]:
    """(file name, label, text) for every row of every SemEval file, in a fixed order."""
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or parts[1] not in LABELS:
                    print(f"{path.name}:{number}: skipped malformed row", file=sys.stderr)
                    continue
                text = "\t".join(parts[2:]).strip()
                if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
                    text = text[1:-1]
                rows.append((path.name, parts[1], text))
    return rows


def read_val(folder: Path) -> list[str]:
    path = folder / "tweeteval-sentiment" / "val_text.txt"
    return path.read_text(encoding="utf-8").splitlines()


def without_val(
    rows: list[tuple[str, str, str]], val_texts: Sequence[str]
) -> list[tuple[str, str, str]]:
    """Drop rows that recur in the validation split: same text, or same first/last 40 chars."""
    keys = {match_key(t) for t in val_texts}
    heads = {k[:40] for k in keys if len(k) >= 40}
    tails = {k[-40:] for k in keys if len(k) >= 40}

    def seen(text: str) -> bool:
        key = match_key(text)
        return key in keys or (len(key) >= 40 and (key[:40] in heads or key[-40:] in tails))

    return [row for row in rows if not seen(row[2])]


def deduplicated(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """One row per tweet text; tweets labelled differently in different files are dropped."""
    labels: dict[str, set[str]] = {}
    first: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        key = match_key(row[2])
        labels.setdefault(key, set()).add(row[1])
        first.setdefault(key, row)
    return [row for key, row in first.items() if len(labels[key]) == 1]


def held_out(text: str) -> bool:
    digest = hashlib.sha256(f"{SEED}:{match_key(text)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HOLDOUT_PERCENT


# -- metrics ----------------------------------------------------------------------------------


def macro_recall(gold: Sequence[str], predicted: Sequence[str]) -> float:
    totals = Counter(gold)
    hits = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    return sum(hits[label] / totals[label] for label in LABELS if totals[label]) / len(
        [label for label in LABELS if totals[label]]
    )


# -- VADER thresholds -------------------------------------------------------------------------


def tune_vader(rows: list[tuple[str, str, str]]) -> tuple[float, float, float]:
    """Best (negative_below, positive_above, macro recall) on the SemEval train + dev files."""
    from earful.river.pipeline.sentiment.vader import VaderEngine

    tuning = [row for row in rows if "train" in row[0] or "dev" in row[0]]
    engine = VaderEngine()
    compound = np.array(engine.compound_scores([row[2] for row in tuning]))
    gold = np.array([LABELS.index(row[1]) for row in tuning])
    totals = np.array([(gold == k).sum() for k in range(3)])
    grid = np.round(np.arange(-0.95, 0.951, 0.01), 2)
    best = (-1.0, 0.0, 0.0)
    for low in grid:
        is_neg = compound <= low
        neg_recall = (is_neg & (gold == 0)).sum() / totals[0]
        for high in grid[grid >= low]:
            is_pos = compound > high
            pos_recall = (is_pos & (gold == 2)).sum() / totals[2]
            neu_recall = (~is_neg & ~is_pos & (gold == 1)).sum() / totals[1]
            score = (neg_recall + neu_recall + pos_recall) / 3
            if score > best[0] + 1e-12:
                best = (float(score), float(low), float(high))
    print(f"VADER tuned on {len(tuning)} SemEval train/dev tweets (val overlap removed)")
    return best[1], best[2], best[0]


# -- the linear model -------------------------------------------------------------------------


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    featurizer: Featurizer,
    c: float,
    min_df: int,
) -> LinearModel:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    feature_sets = [featurizer.features(t) for t in texts]
    df = Counter(f for feats in feature_sets for f in feats)
    vocabulary = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: i for i, f in enumerate(vocabulary)}
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[f])) + 1 for f in vocabulary])

    indptr, indices, values = [0], [], []
    for feats in feature_sets:
        ids = sorted(index[f] for f in feats if f in index)
        row = idf[ids]
        norm = np.sqrt((row**2).sum()) or 1.0
        indices.extend(ids)
        values.extend((row / norm).tolist())
        indptr.append(len(indices))
    matrix = csr_matrix((values, indices, indptr), shape=(n, len(vocabulary)))

    classifier = LogisticRegression(
        C=c, class_weight="balanced", max_iter=3000, solver="lbfgs", random_state=SEED
    )
    classifier.fit(matrix, [LABELS.index(label) for label in labels])
    weights = classifier.coef_.T.astype(np.float32)

    # Drop features whose weights round to nothing in the shipped float16 file.
    keep = np.abs(weights).max(axis=1) >= 1e-3
    return LinearModel(
        labels=list(LABELS),
        vocabulary=[f for f, k in zip(vocabulary, keep, strict=True) if k],
        weights=weights[keep],
        idf=idf[keep].astype(np.float32),
        bias=classifier.intercept_.astype(np.float32),
        featurizer=featurizer,
        info={
            "trained_on": "SemEval 2013-2016 Twitter task A, minus TweetEval val overlap",
            "tweets": n,
            "C": c,
            "min_df": min_df,
            "script": "scripts/train_sentiment.py",
        },
    )


def evaluate(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> float:
    predicted = [label for label, _ in LinearEngine(model).analyse(texts)]
    return macro_recall(labels, predicted)


def select(rows: list[tuple[str, str, str]]) -> None:
    train = [r for r in rows if not held_out(r[2])]
    test = [r for r in rows if held_out(r[2])]
    print(f"model selection: {len(train)} training, {len(test)} held-out SemEval tweets")
    test_texts, test_labels = [r[2] for r in test], [r[1] for r in test]
    settings = [
        (Featurizer(word_ngrams=1), 1.0, 2),
        (Featurizer(word_ngrams=2), 1.0, 2),
        (Featurizer(word_ngrams=2), 2.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(2, 4)), 1.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(2, 5)), 1.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(2, 5)), 2.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(2, 5)), 4.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(2, 5)), 2.0, 3),
        (Featurizer(word_ngrams=3, char_ngrams=(2, 5)), 2.0, 2),
        (Featurizer(word_ngrams=2, char_ngrams=(1, 6)), 2.0, 2),
    ]
    print("| words | chars | C | min_df | features | held-out macro recall |")
    print("| --- | --- | --- | --- | --- | --- |")
    for featurizer, c, min_df in settings:
        model = fit([r[2] for r in train], [r[1] for r in train], featurizer, c, min_df)
        score = evaluate(model, test_texts, test_labels)
        print(
            f"| 1-{featurizer.word_ngrams} | {featurizer.char_ngrams} | {c} | {min_df} "
            f"| {len(model.vocabulary)} | {score:.4f} |",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", action="store_true", help="compare settings first")
    parser.add_argument("--vader-only", action="store_true", help="only tune VADER")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    folder = data_dir()
    if not (folder / "semeval-2013-2016").is_dir():
        print(f"no SemEval data in {folder}; set EARFUL_SHARED_DATA", file=sys.stderr)
        return 2
    rows = read_semeval(folder / "semeval-2013-2016")
    val_path = folder / "tweeteval-sentiment" / "val_text.txt"
    if val_path.exists():
        kept = without_val(rows, read_val(folder))
        print(f"{len(rows)} SemEval rows, {len(rows) - len(kept)} dropped (in TweetEval val)")
        rows = kept
    else:
        print("warning: no TweetEval val split found, cannot remove its tweets", file=sys.stderr)

    low, high, score = tune_vader(rows)
    print(f"VADER_NEGATIVE_BELOW = {low:.2f}  # compound <= this is negative")
    print(f"VADER_POSITIVE_ABOVE = {high:.2f}  # compound > this is positive")
    print(f"(macro recall on the tuning tweets: {score:.4f})")
    if args.vader_only:
        return 0

    rows = deduplicated(rows)
    print(f"{len(rows)} distinct tweets: {dict(sorted(Counter(r[1] for r in rows).items()))}")
    if args.select:
        select(rows)

    started = time.perf_counter()
    model = fit([r[2] for r in rows], [r[1] for r in rows], DEFAULT_FEATURIZER, DEFAULT_C,
                DEFAULT_MIN_DF)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    size = args.output.stat().st_size
    print(
        f"wrote {args.output} ({len(model.vocabulary)} features, {size / 1e6:.2f} MB) "
        f"in {time.perf_counter() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
