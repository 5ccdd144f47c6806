"""Build one linear sentiment model per language from ../shared/data, and compare settings.

For each language the training texts are the UMSAB train split plus the labelled sets in
../shared/data/multilingual/<lang>/ (and, for English, the SemEval 2013-2016 sets). Texts
that recur in a measurement split are dropped first: UMSAB val of that language (and
TweetEval val for English), matched on letters and digits in any script, handles and URLs
removed, or on the same first or last 40 such characters. UMSAB and TweetEval test texts
are not in the shared folder at all.

Settings are compared (`--select`) with one whole source per language held out (HELD_OUT):
the model is trained on the language's other sources and scored on the held-out one, so a
figure says how it does on text from somewhere else. UMSAB val is never used to choose;
bench/sentiment_languages.py reports on it. The shipped models are then trained on every
source with the chosen setting and written to
src/earful/river/pipeline/sentiment/data/sentiment-<lang>.npz (weights only, no texts).

    pip install -e '.[train]'
    python scripts/train_language_sentiment.py                 # train and write every model
    python scripts/train_language_sentiment.py --languages fr,de
    python scripts/train_language_sentiment.py --select        # compare settings first

Deterministic: the same data writes the same arrays.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_sentiment import fit, read_semeval  # noqa: E402

from earful.river.pipeline.sentiment.evaluation import (  # noqa: E402
    UMSAB_LANGUAGES,
    read_labelled_tsv,
    read_tweeteval_val,
    read_umsab,
    score,
    shared_data_dir,
)
from earful.river.pipeline.sentiment.languages import MODEL_DIR, model_path  # noqa: E402
from earful.river.pipeline.sentiment.linear import LinearEngine, LinearModel  # noqa: E402
from earful.river.pipeline.sentiment.tweet_features import HashedNgrams  # noqa: E402

LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "it", "pt", "tr")

# The source each language's settings are compared on (trained on the others).
HELD_OUT = {
    "ar": "astd",
    "de": "germeval2017_dev_test",
    "en": "umsab-train",
    "es": "peruvian_tweets_jorgeandoni",
    "fr": "deft2017_task1_train",
    "hi": "sentimix2020_hinglish_officialtest",
    "it": "sentipolc2016_testgold",
    "pt": "tweets_mg",
    "tr": "magaza_yorumlari_store_reviews",
}

# Sources that are reviews or long forum posts rather than short social posts.
REVIEWS = {
    "allocine_tvseries_nlproc",
    "allocine_sample_rachigh",
    "one_million_posts_sentiment",
    "magaza_yorumlari_store_reviews",
}


@dataclass(frozen=True)
class Setting:
    features: HashedNgrams
    c: float = 1.0
    min_df: int = 2
    reviews: bool = True  # train on review/forum sources too

    def describe(self) -> str:
        f = self.features
        return (
            f"bits {f.bits}, chars {f.char_ngrams}, negations {f.negations}, C {self.c}, "
            f"min_df {self.min_df}, reviews {'yes' if self.reviews else 'no'}"
        )


def default_setting(language: str) -> Setting:
    """What ships, chosen with --select (see docs/sentiment.md for the comparison)."""
    return Setting(HashedNgrams(bits=20, char_ngrams=(2, 5), negations=language), c=1.0)


# -- matching texts across files ------------------------------------------------------------

_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")
_URLS = re.compile(r"https?\s*:?\s*/\s*/\s*\S*|http\S*|www\.\S+")
_HANDLES = re.compile(r"@\s?\w+")
_NOT_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """Letters and digits of any script, lower case, without handles and URLs."""
    text = html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)).casefold()
    return _NOT_WORD.sub("", _HANDLES.sub("", _URLS.sub("", text)))


class Blocklist:
    """Texts that must not be trained on: same key, or same first or last 40 characters."""

    def __init__(self, texts: Sequence[str]):
        keys = [match_key(t) for t in texts]
        self.keys = {k for k in keys if k}
        self.heads = {k[:40] for k in keys if len(k) >= 40}
        self.tails = {k[-40:] for k in keys if len(k) >= 40}

    def __contains__(self, text: str) -> bool:
        key = match_key(text)
        if not key:
            return False
        return key in self.keys or (
            len(key) >= 40 and (key[:40] in self.heads or key[-40:] in self.tails)
        )


# -- reading a language's sources -------------------------------------------------------------


@dataclass
class Source:
    name: str
    texts: list[str]
    labels: list[str]


def sources_of(folder: Path, language: str) -> list[Source]:
    """Every training source of `language`, measurement texts removed, duplicates dropped
    (a text keeps its first source's label; a text labelled differently is dropped)."""
    found: list[Source] = []
    if language in UMSAB_LANGUAGES:
        found.append(Source("umsab-train", *read_umsab(folder, language, "train")))
    for path in sorted((folder / "multilingual" / language).glob("*.tsv")):
        found.append(Source(path.stem, *read_labelled_tsv(path)))
    if language == "en":
        rows = read_semeval(folder / "semeval-2013-2016")
        found.append(Source("semeval", [r[2] for r in rows], [r[1] for r in rows]))

    blocked: list[str] = []
    if language in UMSAB_LANGUAGES:
        blocked += read_umsab(folder, language, "val")[0]
    if language == "en":
        blocked += read_tweeteval_val(folder)[0]
    blocklist = Blocklist(blocked)
    labels_of: dict[str, set[str]] = {}
    for source in found:
        for text, label in zip(source.texts, source.labels, strict=True):
            labels_of.setdefault(match_key(text), set()).add(label)
    seen: set[str] = set()
    cleaned = []
    for source in found:
        texts, labels = [], []
        for text, label in zip(source.texts, source.labels, strict=True):
            key = match_key(text)
            if not key or key in seen or len(labels_of[key]) > 1 or text in blocklist:
                continue
            seen.add(key)
            texts.append(text)
            labels.append(label)
        cleaned.append(Source(source.name, texts, labels))
    return cleaned


def training_texts(
    sources: Sequence[Source], setting: Setting, leave_out: str | None = None
) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for source in sources:
        if source.name == leave_out or (not setting.reviews and source.name in REVIEWS):
            continue
        texts += source.texts
        labels += source.labels
    return texts, labels


def train(texts: Sequence[str], labels: Sequence[str], setting: Setting, info: dict) -> LinearModel:
    model = fit(texts, labels, setting.features, setting.c, setting.min_df)
    model.info = {**info, "texts": len(texts), "C": setting.c, "min_df": setting.min_df}
    return model


def macro_f1(model: LinearModel, texts: Sequence[str], labels: Sequence[str]) -> float:
    predicted = [label for label, _ in LinearEngine(model).analyse(texts)]
    return score(labels, predicted).macro_f1


# -- comparing settings -----------------------------------------------------------------------


def candidate_settings(language: str) -> list[Setting]:
    base = default_setting(language)
    english = replace(base.features, negations="en")
    return [
        base,
        replace(base, c=0.5),
        replace(base, c=2.0),
        replace(base, reviews=False),
        replace(base, features=english),
        replace(base, features=replace(base.features, char_ngrams=(1, 4))),
    ]


def select(folder: Path, languages: Sequence[str]) -> None:
    print("| language | held-out source | setting | train texts | held-out texts | macro-F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for language in languages:
        sources = sources_of(folder, language)
        held = next(s for s in sources if s.name == HELD_OUT[language])
        for setting in candidate_settings(language):
            if setting.features.negations not in ("en", language):
                continue
            texts, labels = training_texts(sources, setting, leave_out=held.name)
            if not texts:
                continue
            model = train(texts, labels, setting, {})
            f1 = macro_f1(model, held.texts, held.labels)
            print(
                f"| {language} | {held.name} | {setting.describe()} | {len(texts)} "
                f"| {len(held.texts)} | {f1:.4f} |",
                flush=True,
            )


def build(folder: Path, languages: Sequence[str], output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for language in languages:
        started = time.perf_counter()
        setting = default_setting(language)
        sources = sources_of(folder, language)
        texts, labels = training_texts(sources, setting)
        used = [s.name for s in sources if s.texts and (setting.reviews or s.name not in REVIEWS)]
        info = {
            "language": language,
            "trained_on": ", ".join(used),
            "script": "scripts/train_language_sentiment.py",
        }
        model = train(texts, labels, setting, info)
        path = output / model_path(language).name
        model.save(path)
        counts = dict(sorted(Counter(labels).items()))
        print(
            f"{language}: {len(texts)} texts {counts} from {', '.join(used)} -> {path.name} "
            f"({model.buckets.size} buckets, {path.stat().st_size / 1e6:.2f} MB, "
            f"{time.perf_counter() - started:.0f} s)",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--select", action="store_true", help="compare settings first")
    parser.add_argument("--select-only", action="store_true", help="compare, write nothing")
    parser.add_argument("--output", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        parser.error(f"no training data for {', '.join(unknown)}; known: {', '.join(LANGUAGES)}")
    folder = shared_data_dir()
    if not (folder / "umsab").is_dir() or not (folder / "multilingual").is_dir():
        print(f"need {folder}/umsab and {folder}/multilingual; set EARFUL_SHARED_DATA")
        return 2
    if args.select or args.select_only:
        select(folder, languages)
    if not args.select_only:
        build(folder, languages, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
