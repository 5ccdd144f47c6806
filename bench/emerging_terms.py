"""Emerging terms on a dashboard-sized period: milliseconds per call, median of N runs.

The previous period is the synthetic corpus (bench/corpus.py, seed 7); the current period
is the corpus with another seed plus a new complaint in 2% of the texts. For each size the
script times `count_terms` on one period and `emerging_terms` on the two counts (what a
request costs when the previous period's counts are cached; twice the first column when it
is not). The "emoji" rows add an emoji to 30% of the texts, as on real social posts: those
texts hold characters beyond the BMP. 2,500 texts is what the dashboard samples per period.
Times are the process's CPU time (steadier than the wall clock on a shared machine; one
thread, so the two agree on an idle one).

    .venv/bin/python bench/emerging_terms.py [--sizes 2500,10000,50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import mentions  # noqa: E402

from earful.river.trends.emerging import count_terms, emerging_terms  # noqa: E402

COMPLAINTS = [
    "battery drain since firmware 4.3, phone dead by noon",
    "anyone else with battery drain after the 4.3 update?",
    "the 4.3 update ruined my battery, drain is insane",
]
EMOJI = ["😡", "🔋", "😍", "🤔", "🙏", "🔥"]


def period(count: int, seed: int, *, complaints: float, emoji: float) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for row in mentions(count, seed=seed):
        text = row["text"]
        if rng.random() < complaints:
            text = rng.choice(COMPLAINTS)
        if rng.random() < emoji:
            text += " " + rng.choice(EMOJI)
        texts.append(text)
    return texts


def median_ms(call, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.process_time()
        call()
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="2500,10000,50000", help="texts per period, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    print(f"median of {args.runs} runs, CPU time")
    print("| texts per period | texts | count_terms ms | emerging_terms ms | top 3 |")
    print("| --- | --- | --- | --- | --- |")
    for size in map(int, args.sizes.split(",")):
        for label, emoji in (("corpus", 0.0), ("30% with emoji", 0.3)):
            previous = period(size, 7, complaints=0.0, emoji=emoji)
            current = period(size, 8, complaints=0.02, emoji=emoji)
            before = count_terms(previous)
            now = count_terms(current)
            counting = median_ms(lambda texts=current: count_terms(texts), args.runs)
            comparing = median_ms(
                lambda now=now, before=before: emerging_terms(now, before), args.runs
            )
            top = ", ".join(item.term for item in emerging_terms(now, before)[:3])
            print(f"| {size:,} | {label} | {counting:.1f} | {comparing:.1f} | {top} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
