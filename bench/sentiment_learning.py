"""What learning from the team's corrections buys: macro F1 before and after the adjustment.

Simulates people labelling mentions (`earful sentiment learn`'s examples): a random sample
of a language's UMSAB validation split, each with its gold label (a correction where the
shipped model was wrong, a confirmation where it was right), fits the adjustment
(river/pipeline/sentiment/adjustment.py) on them, and scores macro F1 on a fixed rest of
the split no simulated person saw. Several seeds draw the labelled sample; the median is
reported (min and max alongside). UMSAB val has 324 texts a language: with a rest of 124,
at most 200 corrections. `--tweeteval` repeats it on TweetEval's 2,000 English validation
tweets (rest 1,000; up to 1,000 corrections). Neither split was trained on
(scripts/train_language_sentiment.py drops their texts from training).

The regularisation strength is chosen first (`--tune`, default de, it, pt: languages not
reported) by the median gain at 200 corrections, then used for every reported figure.

    .venv/bin/python bench/sentiment_learning.py            # fr, es, en + TweetEval
    .venv/bin/python bench/sentiment_learning.py --languages fr --no-tweeteval
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from earful.river.pipeline.sentiment import LABELS  # noqa: E402
from earful.river.pipeline.sentiment.adjustment import (  # noqa: E402
    Adjustment,
    LanguageAdjustment,
    features,
    fit_features,
    unseen_idf,
)
from earful.river.pipeline.sentiment.evaluation import (  # noqa: E402
    read_tweeteval_val,
    read_umsab,
    score,
    shared_data_dir,
)
from earful.river.pipeline.sentiment.languages import (  # noqa: E402
    PerLanguageEngine,
    base_logits,
)

ERR = Console(stderr=True)


class Split:
    """One language's labelled texts, featurised once: a fixed rest, the others a pool."""

    def __init__(self, engine, code: str, texts: list[str], gold: list[str], rest: int):
        self.code, self.texts, self.gold = code, texts, np.array(gold)
        self.model = engine.engine_for(code).model
        self.logits = base_logits(engine.engine_for(code), texts)
        row, bucket, value = features(self.model, texts, unseen_idf(self.model))
        self.row, self.bucket, self.value = row, bucket, value
        order = np.random.default_rng(12345).permutation(len(texts))
        self.rest, self.pool = np.sort(order[:rest]), order[rest:]
        self.before = self.f1(self.logits[self.rest])

    def f1(self, logits: np.ndarray) -> float:
        predicted = [LABELS[k] for k in logits.argmax(axis=1)]
        return score(list(self.gold[self.rest]), predicted).macro_f1

    def occurrences(self, chosen: np.ndarray):
        """The (row, bucket, value) of texts `chosen`, rows renumbered 0..len-1."""
        position = np.full(len(self.texts), -1)
        position[chosen] = np.arange(chosen.size)
        keep = position[self.row] >= 0
        return position[self.row[keep]], self.bucket[keep], self.value[keep]

    def after(self, size: int, seed: int, strength: float, fit_bias: bool = False) -> float:
        chosen = np.random.default_rng(seed).choice(self.pool, size, replace=False)
        adjustment = fit_features(
            self.model, self.logits[chosen], self.occurrences(chosen), list(self.gold[chosen]),
            strength=strength, fit_bias=fit_bias,
        )  # fmt: skip
        return self.f1(self.logits[self.rest] + self._delta(adjustment))

    def _delta(self, adjustment: LanguageAdjustment) -> np.ndarray:
        return (
            Adjustment({self.code: adjustment})
            .languages[self.code]
            .delta(self.model, [self.texts[i] for i in self.rest])
        )


def run(splits, sizes, seeds, strength, progress, fit_bias=False) -> list[dict]:
    rows = []
    task = progress.add_task("fitting", total=len(splits) * len(sizes) * seeds)
    for split in splits:
        for size in sizes:
            if size > split.pool.size:
                progress.advance(task, seeds)
                continue
            scores = []
            for seed in range(seeds):
                progress.update(task, description=f"{split.code} {size} seed {seed}")
                scores.append(split.after(size, seed, strength, fit_bias))
                progress.advance(task)
            rows.append(
                {
                    "split": split.code,
                    "corrections": size,
                    "rest": int(split.rest.size),
                    "before": round(split.before, 4),
                    "after_median": round(statistics.median(scores), 4),
                    "after_min": round(min(scores), 4),
                    "after_max": round(max(scores), 4),
                }
            )
    progress.remove_task(task)
    return rows


def tune(splits, strengths, seeds, size, progress, fit_bias=False) -> tuple[float, dict]:
    gains = {}
    task = progress.add_task("tuning", total=len(strengths) * len(splits) * seeds)
    for strength in strengths:
        per = []
        for split in splits:
            scores = []
            for seed in range(seeds):
                progress.update(task, description=f"tune {split.code} strength {strength}")
                scores.append(split.after(size, 1000 + seed, strength, fit_bias))
                progress.advance(task)
            per.append(statistics.median(scores) - split.before)
        gains[strength] = round(statistics.mean(per), 4)
    progress.remove_task(task)
    return max(gains, key=gains.get), gains


def plot_png(rows: list[dict], path: Path) -> None:
    """A line chart of macro F1 by corrections, one line per split, with Pillow."""
    from PIL import Image, ImageDraw

    width, height, margin = 720, 440, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    xs = sorted({r["corrections"] for r in rows})
    low = min(min(r["before"], r["after_min"]) for r in rows) - 0.02
    high = max(r["after_max"] for r in rows) + 0.02
    scale_x = np.log([0.5 * xs[0]] + xs)

    def at(x, y):
        fx = (np.log(x) - scale_x[0]) / (scale_x[-1] - scale_x[0])
        return margin + fx * (width - 2 * margin), height - margin - (y - low) / (high - low) * (
            height - 2 * margin
        )

    draw.rectangle([margin, margin, width - margin, height - margin], outline="black")
    for x in xs:
        px, _ = at(x, low)
        draw.text((px - 10, height - margin + 6), str(x), fill="black")
    for step in np.arange(np.ceil(low * 20) / 20, high, 0.05):
        _, py = at(xs[0], step)
        draw.text((10, py - 6), f"{step:.2f}", fill="black")
        draw.line([margin, py, width - margin, py], fill=(225, 225, 225))
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    splits = list(dict.fromkeys(r["split"] for r in rows))
    for index, name in enumerate(splits):
        colour = colours[index % len(colours)]
        mine = [r for r in rows if r["split"] == name]
        points = [at(0.5 * xs[0], mine[0]["before"])] + [
            at(r["corrections"], r["after_median"]) for r in mine
        ]
        draw.line(points, fill=colour, width=3)
        for r in mine:
            px, top = at(r["corrections"], r["after_max"])
            _, bottom = at(r["corrections"], r["after_min"])
            draw.line([px, top, px, bottom], fill=colour, width=1)
        draw.text((width - margin + 4 - 50, margin + 8 + 14 * index), name, fill=colour)
    draw.text((margin, 20), "macro F1 on held-out rest vs simulated corrections", fill="black")
    draw.text((margin, height - 24), "corrections (log; leftmost = shipped model)", fill="black")
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", default="fr,es,en")
    parser.add_argument("--tune", default="de,it,pt", help="languages choosing the strength")
    parser.add_argument("--strengths", default="0.5,1,2,4,8")
    parser.add_argument("--strength", type=float, help="skip tuning, use this")
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--rest", type=int, default=124)
    parser.add_argument("--seeds", type=int, default=7)
    parser.add_argument("--bias", action="store_true", help="fit the bias too")
    parser.add_argument("--no-tweeteval", action="store_true")
    parser.add_argument("--tweeteval-sizes", default="50,100,200,500,1000")
    parser.add_argument("--png", default=str(ROOT / "bench" / "sentiment_learning.png"))
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    folder = shared_data_dir()
    engine = PerLanguageEngine(adjustments=None)
    started = time.perf_counter()
    result: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()} numpy {np.__version__}".strip(),
        "command": " ".join(["bench/sentiment_learning.py", *sys.argv[1:]]),
        "seeds": args.seeds,
        "fit_bias": args.bias,
    }

    def umsab(code: str) -> Split:
        texts, gold = read_umsab(folder, code, "val")
        return Split(engine, code, texts, gold, args.rest)

    with Progress(console=ERR, transient=True) as progress:
        if args.strength:
            strength = args.strength
        else:
            tuning = [umsab(c) for c in args.tune.split(",") if c]
            strengths = [float(s) for s in args.strengths.split(",")]
            strength, gains = tune(tuning, strengths, args.seeds, 200, progress, args.bias)
            result["tuning"] = {"languages": args.tune, "gain_by_strength": gains}
        result["strength"] = strength
        splits = [umsab(c) for c in args.languages.split(",") if c]
        sizes = [int(s) for s in args.sizes.split(",")]
        rows = run(splits, sizes, args.seeds, strength, progress, args.bias)
        if not args.no_tweeteval:
            texts, gold = read_tweeteval_val(folder)
            tweeteval = Split(engine, "en", texts, gold, 1000)
            tweeteval.code = "en"
            sizes = [int(s) for s in args.tweeteval_sizes.split(",")]
            extra = run([tweeteval], sizes, args.seeds, strength, progress, args.bias)
            for row in extra:
                row["split"] = "tweeteval-en"
            rows += extra
    result["rows"] = rows
    result["seconds"] = round(time.perf_counter() - started, 1)

    print(f"# sentiment learning bench, {result['date']}, {result['machine']}")
    print(
        f"# {result['command']}; strength {strength}; bias {args.bias}; "
        f"median of {args.seeds} seeds"
    )
    if "tuning" in result:
        print(f"# tuning on {args.tune} (gain in macro F1 at 200): {result['tuning']}")
    print(
        f"{'split':<14}{'corr':>6}{'rest':>6}{'F1 before':>11}{'F1 after':>10}{'min':>8}{'max':>8}"
    )
    for r in rows:
        print(
            f"{r['split']:<14}{r['corrections']:>6}{r['rest']:>6}{r['before']:>11.3f}"
            f"{r['after_median']:>10.3f}{r['after_min']:>8.3f}{r['after_max']:>8.3f}"
        )
    try:
        plot_png(rows, Path(args.png))
        print(f"# plot: {args.png}")
    except ImportError:
        print("# Pillow absent: no plot")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
