"""Re-tune the VADER neutral band; optionally build an English model from SemEval alone.

Reads the SemEval 2013-2016 Twitter sets from the shared data folder (never from the
repository: the tweets are not ours to ship). The shipped models, English included, are
built by scripts/train_language_sentiment.py, which reuses this script's training steps;
`--output` writes a SemEval-only English model for comparison.

Every SemEval tweet whose text recurs in the TweetEval validation split (our measurement
set, see bench/sentiment_eval.py) is dropped first, so nothing here is ever tuned or
trained on the tweets it is measured on. Model choices (C, features) are made on a fixed
held-out tenth of the remaining SemEval tweets; the shipped model is then trained on all
of them. The VADER thresholds are tuned on the same de-duplicated SemEval tweets.

    pip install -e '.[train]'
    python scripts/train_sentiment.py                          # print the tuned VADER band
    python scripts/train_sentiment.py --output /tmp/en.npz     # also train a SemEval model
    python scripts/train_sentiment.py --select --output /tmp/en.npz  # compare settings first

Deterministic: rerunning on the same data writes the same arrays.
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

from earful.river.pipeline.sentiment.linear import LinearEngine, LinearModel  # noqa: E402
from earful.river.pipeline.sentiment.tweet_features import HashedNgrams  # noqa: E402

LABELS = ["negative", "neutral", "positive"]
SEED = 20130
HOLDOUT_PERCENT = 10
CHUNK = 5000


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
    """Best (negative_below, positive_above, macro recall) on the given SemEval rows."""
    from earful.river.pipeline.sentiment.vader import VaderEngine

    tuning = rows
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
    print(f"VADER tuned on {len(tuning)} SemEval tweets (val overlap removed)")
    return best[1], best[2], best[0]


# -- the linear model -------------------------------------------------------------------------


def idf_of(features: HashedNgrams, texts: Sequence[str], min_df: int) -> np.ndarray:
    """Smoothed idf per bucket; 0 for buckets in fewer than `min_df` texts (then ignored)."""
    table = 2**features.bits
    df = np.zeros(table, dtype=np.int64)
    for start in range(0, len(texts), CHUNK):
        text, bucket, _ = features.featurize(texts[start : start + CHUNK])
        pairs = np.unique(text.astype(np.int64) * table + bucket)
        df += np.bincount(pairs % table, minlength=table)
    n = len(texts)
    idf = np.log((1 + n) / (1 + df)) + 1
    idf[df < min_df] = 0.0
    # Round as the shipped file will, so training sees the features inference sees.
    return idf.astype(np.float16).astype(np.float64)


def feature_matrix(features: HashedNgrams, texts: Sequence[str], idf: np.ndarray):
    """The tf-idf matrix LinearEngine computes implicitly (see linear.py)."""
    from scipy.sparse import csr_matrix, vstack

    parts = []
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        text, bucket, words = features.featurize(chunk)
        values = idf[bucket]
        slot = text * 2
        slot[words:] += 1
        norms = np.sqrt(np.bincount(slot, weights=values**2, minlength=2 * len(chunk)))
        norms[norms == 0] = 1.0
        shape = (len(chunk), idf.size)
        parts.append(csr_matrix((values / norms[slot], (text, bucket)), shape=shape))
    matrix = vstack(parts).tocsr()
    matrix.sum_duplicates()
    return matrix


def fit(
    texts: Sequence[str], labels: Sequence[str], features: HashedNgrams, c: float, min_df: int
) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    idf = idf_of(features, texts, min_df)
    matrix = feature_matrix(features, texts, idf)
    classifier = LogisticRegression(
        C=c, class_weight="balanced", max_iter=2000, tol=1e-3, random_state=SEED
    )
    classifier.fit(matrix, [LABELS.index(label) for label in labels])
    buckets = np.flatnonzero(idf > 0)
    return LinearModel(
        labels=list(LABELS),
        features=features,
        buckets=buckets,
        weights=classifier.coef_.T[buckets].astype(np.float32),
        idf=idf[buckets].astype(np.float32),
        bias=classifier.intercept_.astype(np.float32),
        info={
            "trained_on": "SemEval 2013-2016 Twitter task A, minus TweetEval val overlap",
            "tweets": len(texts),
            "C": c,
            "min_df": min_df,
            "script": "scripts/train_sentiment.py",
        },
    )


def evaluate(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> float:
    predicted = [label for label, _ in LinearEngine(model).analyse(texts)]
    return macro_recall(labels, predicted)


# Compared by --select on a held-out tenth of SemEval; the first one ships.
SETTINGS = [
    (HashedNgrams(bits=20, char_ngrams=(2, 5)), 2.0, 2),
    (HashedNgrams(bits=20, char_ngrams=(2, 5)), 1.0, 2),
    (HashedNgrams(bits=18, char_ngrams=(2, 5)), 2.0, 2),
    (HashedNgrams(bits=20, char_ngrams=(3, 5)), 2.0, 2),
]


def select(rows: list[tuple[str, str, str]]) -> None:
    train = [r for r in rows if not held_out(r[2])]
    test = [r for r in rows if held_out(r[2])]
    print(f"model selection: {len(train)} training, {len(test)} held-out SemEval tweets")
    test_texts, test_labels = [r[2] for r in test], [r[1] for r in test]
    print("| bits | bigrams | chars | C | min_df | buckets | held-out macro recall |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for features, c, min_df in SETTINGS:
        model = fit([r[2] for r in train], [r[1] for r in train], features, c, min_df)
        score = evaluate(model, test_texts, test_labels)
        print(
            f"| {features.bits} | {features.word_bigrams} | {features.char_ngrams} | {c} "
            f"| {min_df} | {model.buckets.size} | {score:.4f} |",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", action="store_true", help="compare settings first")
    parser.add_argument("--output", type=Path, help="write a SemEval-only English model here")
    args = parser.parse_args(argv)

    folder = data_dir()
    val_path = folder / "tweeteval-sentiment" / "val_text.txt"
    if not (folder / "semeval-2013-2016").is_dir() or not val_path.is_file():
        print(
            f"need {folder}/semeval-2013-2016/ and {val_path} (the val split is needed to "
            "keep its tweets out of training); set EARFUL_SHARED_DATA to the data folder",
            file=sys.stderr,
        )
        return 2
    rows = read_semeval(folder / "semeval-2013-2016")
    kept = without_val(rows, read_val(folder))
    print(f"{len(rows)} SemEval rows, {len(rows) - len(kept)} dropped (in TweetEval val)")
    rows = deduplicated(kept)
    print(f"{len(rows)} distinct tweets: {dict(sorted(Counter(r[1] for r in rows).items()))}")

    low, high, score = tune_vader(rows)
    print(f"NEGATIVE_BELOW = {low:.2f}  # compound <= this is negative")
    print(f"POSITIVE_ABOVE = {high:.2f}  # compound > this is positive")
    print(f"(macro recall on the tuning tweets: {score:.4f})", flush=True)
    if args.output is None:
        return 0

    if args.select:
        select(rows)

    started = time.perf_counter()
    features, c, min_df = SETTINGS[0]
    model = fit([r[2] for r in rows], [r[1] for r in rows], features, c, min_df)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    size = args.output.stat().st_size
    print(
        f"wrote {args.output} ({model.buckets.size} buckets, {size / 1e6:.2f} MB) "
        f"in {time.perf_counter() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
