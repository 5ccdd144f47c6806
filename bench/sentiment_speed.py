"""Throughput of each sentiment engine on one core: texts per second, median of N runs.

Texts are the TweetEval validation tweets (short, ~100 characters), repeated to
`--texts`, analysed in batches of `--batch` as the ingest pipeline does. A second column
uses long texts (each tweet repeated to ~2,000 characters, like a blog comment), a third
the UMSAB validation tweets of all 8 languages shuffled together, each with its language
(every batch then calls one model per language). Load time (every model the engine has,
as a river in all its languages would load them) is reported apart and not counted.

Needs ../shared/data (or $EARFUL_SHARED_DATA); exits with a message if it is absent.
Pin to one core for the per-core figure: `taskset -c 0 .venv/bin/python bench/...`.

    .venv/bin/python bench/sentiment_speed.py [--engines vader,linear] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from earful.river.pipeline.sentiment import ENGINES, SentimentEngine, get_engine  # noqa: E402
from earful.river.pipeline.sentiment.evaluation import (  # noqa: E402
    UMSAB_LANGUAGES,
    read_tweeteval_val,
    read_umsab,
    shared_data_dir,
)


def texts_per_second(
    engine: SentimentEngine, texts: Sequence[str], batch: int, languages: Sequence[str] | None
) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        codes = None if languages is None else languages[start : start + batch]
        engine.analyse(texts[start : start + batch], codes)
    return len(texts) / (time.perf_counter() - started)


def measure(
    engine: SentimentEngine,
    texts: Sequence[str],
    batch: int,
    runs: int,
    languages: Sequence[str] | None = None,
) -> float:
    texts_per_second(engine, texts[: batch * 2], batch, languages)  # warm caches
    rates = [texts_per_second(engine, texts, batch, languages) for _ in range(runs)]
    return statistics.median(rates)


def mixed_languages(folder, count: int) -> tuple[list[str], list[str]]:
    """UMSAB val tweets of every language, shuffled together, with their language codes."""
    pairs = []
    for code in UMSAB_LANGUAGES:
        texts, _ = read_umsab(folder, code, "val")
        pairs += [(text, code) for text in texts]
    random.Random(16).shuffle(pairs)
    pairs = (pairs * (count // len(pairs) + 1))[:count]
    return [text for text, _ in pairs], [code for _, code in pairs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated names")
    parser.add_argument("--texts", type=int, default=20_000, help="short texts per run")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-texts", type=int, default=2000, help="texts per run for vader")
    args = parser.parse_args()

    folder = shared_data_dir()
    if not (folder / "tweeteval-sentiment" / "val_text.txt").is_file():
        print(f"skipped: no TweetEval val split under {folder} (set EARFUL_SHARED_DATA)")
        return 0
    tweets, _ = read_tweeteval_val(folder)
    short = (tweets * (args.texts // len(tweets) + 1))[: args.texts]
    long = [(t + " ") * (2000 // (len(t) + 1) + 1) for t in tweets]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{len(tweets)} tweets, mean {sum(map(len, tweets)) / len(tweets):.0f} chars; "
        f"batch {args.batch}; median of {args.runs} runs; {cpus} CPU(s) allowed"
    )
    mixed, codes = mixed_languages(folder, args.texts)
    print(
        "| engine | load s | short texts/s | µs/short text | long texts/s "
        "| 8 languages mixed, texts/s |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name in args.engines.split(","):
        started = time.perf_counter()
        engine = get_engine(name)
        engine.analyse(mixed[:2000], codes[:2000])  # loads every model it has
        load = time.perf_counter() - started
        count = args.slow_texts if name == "vader" else len(short)
        rate = measure(engine, short[:count], args.batch, args.runs)
        long_rate = measure(engine, long[: max(args.batch, count // 20)], args.batch, args.runs)
        mixed_rate = measure(engine, mixed[:count], args.batch, args.runs, codes[:count])
        print(
            f"| {name} | {load:.2f} | {rate:,.0f} | {1e6 / rate:.1f} | {long_rate:,.0f} "
            f"| {mixed_rate:,.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
