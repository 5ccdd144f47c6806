"""`earful analyze` throughput: texts per second through the real command, stdin to stdout.

    .venv/bin/python bench/analyze.py --texts 50000 --runs 5

Includes process start-up and model loading, as a user running the command pays them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import mentions  # noqa: E402

EARFUL = str(Path(sys.executable).parent / "earful")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines = "".join(row["text"].replace("\n", " ") + "\n" for row in mentions(args.texts))
    data = lines.encode()
    rates = []
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as data_dir:
        env = dict(os.environ, EARFUL_DATA_DIR=data_dir)
        for run in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(
                [EARFUL, "analyze"], input=data, capture_output=True, env=env, check=True
            )
            elapsed = time.perf_counter() - started
            produced = done.stdout.count(b"\n")
            assert produced == args.texts, f"{produced} results for {args.texts} texts"
            rates.append(args.texts / elapsed)
            print(f"run {run + 1}: {rates[-1]:,.0f} texts/s ({elapsed:.2f} s)")
    engine = os.environ.get("EARFUL_SENTIMENT_ENGINE", "default")
    print(
        f"median of {args.runs}: {statistics.median(rates):,.0f} texts/s "
        f"for {args.texts:,} texts (sentiment engine: {engine})"
    )


if __name__ == "__main__":
    main()
