"""Reading the TweetEval validation split and scoring label predictions against it.

Shared by bench/sentiment_eval.py, scripts/train_sentiment.py and the tests, so every
figure in docs/sentiment.md is computed one way. The data lives outside the repository
(../shared/data by default, or $EARFUL_SHARED_DATA); the tweets are not ours to ship.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import LABELS

REPOSITORY = Path(__file__).resolve().parents[5]
TWEETEVAL_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def shared_data_dir() -> Path:
    """$EARFUL_SHARED_DATA, else the `shared/data` folder next to the repository."""
    configured = os.environ.get("EARFUL_SHARED_DATA")
    return Path(configured) if configured else REPOSITORY.parent / "shared" / "data"


def read_tweeteval_val(folder: Path) -> tuple[list[str], list[str]]:
    """(texts, labels) of the TweetEval sentiment validation split in `folder`."""
    base = folder / "tweeteval-sentiment"
    texts = (base / "val_text.txt").read_text(encoding="utf-8").split("\n")
    codes = (base / "val_labels.txt").read_text(encoding="utf-8").split()
    if texts and texts[-1] == "":
        texts.pop()
    if len(texts) != len(codes):
        raise ValueError(f"{base}: {len(texts)} texts but {len(codes)} labels")
    labels = []
    for line, code in enumerate(codes, 1):
        if code not in TWEETEVAL_LABELS:
            raise ValueError(f"{base / 'val_labels.txt'}:{line}: unknown label {code!r}")
        labels.append(TWEETEVAL_LABELS[code])
    return texts, labels


@dataclass(frozen=True)
class Scores:
    macro_recall: float
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # confusion[gold][predicted], in LABELS order


def score(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Macro recall (TweetEval's official metric), macro F1, accuracy and confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    if not gold:
        raise ValueError("nothing to score")
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted, strict=True):
        if g not in index or p not in index:
            raise ValueError(f"labels must be in {LABELS}, got {g!r} / {p!r}")
        confusion[index[g]][index[p]] += 1
    recalls, f1s = [], []
    for k in range(len(LABELS)):
        hits = confusion[k][k]
        actual = sum(confusion[k])
        guessed = sum(row[k] for row in confusion)
        if not actual:
            continue
        recall = hits / actual
        precision = hits / guessed if guessed else 0.0
        recalls.append(recall)
        f1s.append(2 * precision * recall / (precision + recall) if hits else 0.0)
    correct = sum(confusion[k][k] for k in range(len(LABELS)))
    return Scores(
        macro_recall=sum(recalls) / len(recalls),
        macro_f1=sum(f1s) / len(f1s),
        accuracy=correct / len(gold),
        confusion=confusion,
    )


# UMSAB (cardiffnlp/xlm-t) folder names and the language codes the river detects.
UMSAB_LANGUAGES = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "hi": "hindi",
    "it": "italian",
    "pt": "portuguese",
}


def read_umsab(folder: Path, language: str, split: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of one UMSAB split ("train" or "val") of `language` (a code)."""
    if split not in ("train", "val"):
        raise ValueError(f"UMSAB split must be train or val, not {split!r}")
    base = folder / "umsab" / UMSAB_LANGUAGES[language]
    texts = (base / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    codes = (base / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    if texts and texts[-1] == "":
        texts.pop()
    if len(texts) != len(codes):
        raise ValueError(f"{base}: {len(texts)} {split} texts but {len(codes)} labels")
    labels = []
    for line, code in enumerate(codes, 1):
        if code not in TWEETEVAL_LABELS:
            raise ValueError(f"{base / f'{split}_labels.txt'}:{line}: unknown label {code!r}")
        labels.append(TWEETEVAL_LABELS[code])
    return texts, labels


def read_labelled_tsv(path: Path) -> tuple[list[str], list[str]]:
    """(texts, labels) of a `label<TAB>text` file (../shared/data/multilingual/*/*.tsv)."""
    texts, labels = [], []
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(handle, 1):
            label, tab, text = row.rstrip("\n").partition("\t")
            if not tab or label not in LABELS:
                raise ValueError(f"{path}:{line}: expected 'label<TAB>text', label in {LABELS}")
            texts.append(text)
            labels.append(label)
    return texts, labels
