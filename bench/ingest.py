"""Import + full pipeline + store throughput, through the real `earful import` command.

    .venv/bin/python bench/ingest.py --mentions 100000 --runs 3
    .venv/bin/python bench/ingest.py --mentions 1000000 --runs 1
    .venv/bin/python bench/ingest.py --mentions 100000 --database-url postgres://...
    .venv/bin/python bench/ingest.py --mentions 100000 --real

Each run starts from an empty database in a temporary data directory, writes a JSONL file
of synthetic mentions (bench/corpus.py), times `earful import` on it and reports mentions
per second and the importer's peak resident memory (so growth with input size shows).
With `--real` the mentions are real labelled texts from ../shared/data instead (SemEval
and UMSAB tweets, the multilingual sets: 9 languages, tweets, forum posts and reviews),
taken in turn from each file; the synthetic corpus flatters the pipeline (its texts are
short, English-heavy and made here).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import BRANDS, PRODUCTS, mentions  # noqa: E402

EARFUL = str(Path(sys.executable).parent / "earful")
# Runs a command and prints its peak resident memory (KiB) as the last line on stderr.
PEAK_WRAPPER = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def real_texts() -> list[str]:
    """Every text of the shared data's labelled files, interleaved file by file."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from earful.river.pipeline.sentiment.evaluation import shared_data_dir

    folder = shared_data_dir()
    files = [
        *sorted((folder / "semeval-2013-2016").glob("*.tsv")),
        *sorted((folder / "umsab").glob("*/*_text.txt")),
        *sorted((folder / "multilingual").glob("*/*.tsv")),
    ]
    if not files:
        raise SystemExit(f"no labelled texts under {folder}; set EARFUL_SHARED_DATA")
    columns = []
    for path in files:
        lines = path.read_text(encoding="utf-8").removesuffix("\n").split("\n")
        if path.suffix == ".tsv":  # semeval: id, label, text; multilingual: label, text
            lines = [line.split("\t")[-1] for line in lines]
        columns.append([line for line in lines if line.strip()])
    longest = max(map(len, columns))
    return [column[i] for i in range(longest) for column in columns if i < len(column)]


def write_real_corpus(path: Path, count: int) -> None:
    texts = real_texts()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            day, second = divmod(n * 86_400 * 30 // max(count, 1), 86_400)
            row = {
                "id": f"real-{n}",
                "text": texts[n % len(texts)],
                "published_at": f"2026-11-{1 + day:02d}T{second // 3600:02d}:"
                f"{second // 60 % 60:02d}:{second % 60:02d}Z",
            }
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")


def write_corpus(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in mentions(count):
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")


def topic_queries(count: int) -> list[str]:
    """Saved topics of the kinds companies keep, over the corpus' brands and products."""
    brands = [brand.lower() for brand in BRANDS]
    products = [product.split()[-1].lower() for product in PRODUCTS]
    issues = ["battery", "shipping", "support", "screen", "camera", "update", "charg*"]
    shapes = [
        lambda b, p, i: f'{b} OR "{b} {p}"',
        lambda b, p, i: f"{b} AND ({p} OR {i}) -giveaway",
        lambda b, p, i: f"{b} NEAR/5 {i}",
        lambda b, p, i: f'"{p} {i}"~3 AND NOT lang:fr',
        lambda b, p, i: f"{i} AND ({b} OR {p})",
    ]
    return [
        shapes[n % len(shapes)](
            brands[n % len(brands)], products[(n // 3) % len(products)], issues[n % len(issues)]
        )
        for n in range(count)
    ]


def add_topics(env: dict, count: int) -> None:
    code = (
        "import json, sys\n"
        "from earful.river.actions import add_topic\n"
        "for n, query in enumerate(json.loads(sys.argv[-1])):\n"
        "    add_topic(f'topic {n}', query)\n"
    )
    script = f"import sys; sys.argv.append({json.dumps(json.dumps(topic_queries(count)))})\n"
    subprocess.run([EARFUL, "shell", "-c", script + code], env=env, check=True)


def run_once(
    corpus: Path, count: int, database_url: str | None, topics: int = 0
) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as data_dir:
        env = dict(os.environ, EARFUL_DATA_DIR=data_dir)
        if database_url:
            env["EARFUL_DATABASE_URL"] = database_url
            subprocess.run([EARFUL, "flush", "--noinput"], env=env, check=False)
        subprocess.run([EARFUL, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        if topics:
            add_topics(env, topics)
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                PEAK_WRAPPER,
                EARFUL,
                "import",
                str(corpus),
                "--source",
                "bench",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        peak_kb = int(done.stderr.strip().splitlines()[-1])
        summary = done.stdout.strip().splitlines()[-1]
        return count / elapsed, peak_kb / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--topics", type=int, default=0, help="saved topics to match")
    parser.add_argument("--real", action="store_true", help="real texts from ../shared/data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="earful-corpus-") as tmp:
        corpus = Path(tmp) / "mentions.jsonl"
        (write_real_corpus if args.real else write_corpus)(corpus, args.mentions)
        rates = []
        for run in range(args.runs):
            rate, peak_mb, summary = run_once(corpus, args.mentions, args.database_url, args.topics)
            rates.append(rate)
            print(f"run {run + 1}: {rate:,.0f} mentions/s, peak RSS {peak_mb:,.0f} MB, {summary}")
    print(
        f"median of {args.runs}: {statistics.median(rates):,.0f} mentions/s "
        f"for {args.mentions:,} {'real' if args.real else 'synthetic'} mentions, "
        f"{args.topics} topics"
    )


if __name__ == "__main__":
    main()
