"""Latency of the console's dashboard queries and of search over a big river.

    .venv/bin/python bench/console.py --mentions 1000000 [--runs 7] [--data-dir DIR]

Builds (once; reused when --data-dir already holds it) a SQLite river of synthetic mentions
(bench/corpus.py) spread over a year, imported through `earful import` with brand,
competitor, product and theme topics, then times each dashboard query and search for a
set of realistic filters: the default 30 days, a week, a quarter, the whole year, one
topic, two topics, negative only, one source. Reports p50 and p95 in milliseconds per
query over all filters and runs (the goal is p95 < 150 ms), wall clock and the process's
CPU time: on SQLite every query runs inside this process, so CPU time is the work itself,
steadier than the wall clock on a shared machine (with PostgreSQL the server's is not
counted). Medians per filter follow, in both clocks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import mentions  # noqa: E402

EARFUL = str(Path(sys.executable).parent / "earful")
YEAR_SECONDS = 365 * 24 * 3600
TOPICS = [
    ("Lumio", "lumio OR arc OR buds OR pulse", "brand"),
    ("Corvane", "corvane", "competitor"),
    ("Tessaly", "tessaly", "competitor"),
    ("Battery", "battery OR charg*", "theme"),
    ("Support", "support OR refund OR warranty", "theme"),
    ("Arc phone", '"arc phone" OR "arc 3"', "product"),
    ("Buds", "buds", "product"),
    ("Shipping", "shipping OR delivery OR delivered", "theme"),
]


def build(data_dir: Path, count: int) -> None:
    # A river in a database server is known built only for that server's URL: the
    # throwaway server of scripts/with-postgres.sh starts empty, on another port each time.
    server = os.environ.get("EARFUL_DATABASE_URL", "")
    suffix = f"-{hashlib.sha256(server.encode()).hexdigest()[:12]}" if server else ""
    marker = data_dir / f"built-{count}{suffix}"
    env = dict(os.environ, EARFUL_DATA_DIR=str(data_dir))
    if marker.exists():
        # Built by an earlier version: its migrations (and their backfills) first.
        subprocess.run([EARFUL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([EARFUL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    for name, query, kind in TOPICS:
        subprocess.run(
            [EARFUL, "topics", "add", name, query, "--kind", kind],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    corpus = data_dir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for row in mentions(count, spacing=YEAR_SECONDS / count):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    subprocess.run(
        [EARFUL, "import", str(corpus), "--source", "bench"],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    print(f"built {count:,} mentions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    corpus.unlink()
    marker.touch()


def measure(runs: int) -> tuple[dict, dict, dict]:
    import django

    django.setup()
    from django.http import QueryDict

    from earful.river.analytics import breakdowns, counts, dashboard
    from earful.river.analytics.filters import parse_filter
    from earful.river.models import Mention, Source, Topic
    from earful.river.views.search import _results

    last = Mention.objects.order_by("-published_at").values_list("published_at", flat=True)[0]
    end = last.date()
    topics = {t.name: t.id for t in Topic.objects.all()}
    source = Source.objects.get(name="bench").id
    filters = {
        "30 days": "",
        "7 days": f"start={end.replace(day=1)}",
        "quarter": "start=2026-09-01&end=2026-11-30",
        "year": f"start={end.replace(year=end.year - 1)}",
        "one topic": f"topic={topics['Battery']}",
        "two topics": f"topic={topics['Battery']}&topic={topics['Support']}",
        "negative": "sentiment=negative",
        "one source": f"source={source}",
    }
    queries = {
        "volume by day": lambda f: counts.daily_by_sentiment(f),
        "spikes": lambda f: dashboard.spikes(f, counts.daily_by_sentiment(f)),
        "share of voice": breakdowns.share_of_voice,
        "top sources": counts.by_source,
        "top authors": breakdowns.top_authors,
        "top sites": breakdowns.top_sites,
        "emerging terms": breakdowns.emerging,
        "whole dashboard": dashboard.dashboard_data,
        "search page 1": lambda f: list(islice(_results("battery", f, True), 26)),
        "search phrase": lambda f: list(islice(_results('"arc phone"', f, True), 26)),
        "browse page 1": lambda f: list(islice(_results("", f, True), 26)),
    }
    timings: dict[str, list[float]] = {name: [] for name in queries}
    cpu: dict[str, list[float]] = {name: [] for name in queries}
    by_filter: dict[tuple, list[float]] = {}
    for _ in range(runs):
        for label, query in filters.items():
            f = parse_filter(QueryDict(query), end)
            for name, run in queries.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                run(f)
                elapsed = (time.perf_counter() - started) * 1000
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                timings[name].append(elapsed)
                by_filter.setdefault((name, label), []).append(elapsed)
                by_filter.setdefault((name, label, "cpu"), []).append(cpu[name][-1])
    return timings, cpu, by_filter


def percentile(values: list[float], fraction: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, default=Path("bench/out/console"))
    args = parser.parse_args()
    data_dir = args.data_dir.resolve() / str(args.mentions)
    build(data_dir, args.mentions)
    os.environ["EARFUL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earful.settings")
    load = os.getloadavg()[0]
    timings, cpu, by_filter = measure(args.runs)
    print(
        f"{args.mentions:,} mentions, {args.runs} runs x 8 filters; milliseconds; load {load:.1f}"
    )
    print(f"{'query':<18} {'p50':>8} {'p95':>8} {'max':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, values in timings.items():
        print(
            f"{name:<18} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f} "
            f"{max(values):8.1f} {statistics.median(cpu[name]):8.1f} "
            f"{percentile(cpu[name], 0.95):8.1f}"
        )
    labels = list(dict.fromkeys(key[1] for key in by_filter))
    for title, clock in (("wall clock", ()), ("CPU time", ("cpu",))):
        print(f"\nmedian per filter (ms, {title})")
        print(f"{'query':<18} " + " ".join(f"{label:>10}" for label in labels))
        for name in timings:
            medians = [statistics.median(by_filter[(name, label, *clock)]) for label in labels]
            print(f"{name:<18} " + " ".join(f"{m:10.1f}" for m in medians))


if __name__ == "__main__":
    main()
