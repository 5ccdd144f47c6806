"""A multinomial logistic regression over hashed word and character n-grams.

A model is a numpy file shipped next to this module (`data/sentiment-<language>.npz`, one
per language, see languages.py): the feature configuration, the hash buckets seen in
training, an idf and one weight per class for each of them, and a bias per class. It holds
no tweets. `scripts/train_language_sentiment.py` rebuilds them from ../shared/data with the
same `HashedNgrams` featurizer.

A text's feature vector is tf-idf, L2-normalised per group (words, characters): each
occurrence of bucket b adds idf[b] / norm, norm = sqrt(sum of idf**2 over the text's
occurrences in b's group), so short and long texts, and both groups, weigh alike. Scoring a
batch is a few gathers and `bincount`s over all its feature occurrences at once.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .tweet_features import HashedNgrams

MODEL_PATH = Path(__file__).with_name("data") / "sentiment-en.npz"  # the English model
FORMAT = "earful-linear-sentiment"
FORMAT_VERSION = 2
_ARRAYS = ("meta", "buckets", "weights", "idf", "bias")


@dataclass
class LinearModel:
    """Weights (buckets x classes), idf per bucket and bias per class; see the module doc."""

    labels: list[str]
    features: HashedNgrams
    buckets: np.ndarray
    weights: np.ndarray
    idf: np.ndarray
    bias: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(self.labels),
            "features": self.features.params(),
            "info": self.info,
        }
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
                buckets=self.buckets.astype("<u4"),
                weights=self.weights.astype("<f2"),
                idf=self.idf.astype("<f2"),
                bias=self.bias.astype("<f4"),
            )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearModel:
        if not zipfile.is_zipfile(path):
            raise ValueError(f"{path}: cannot read sentiment model: not an .npz archive")
        try:
            with np.load(path, allow_pickle=False) as data:
                missing = [name for name in _ARRAYS if name not in data.files]
                if missing:
                    raise ValueError(f"{path}: not a sentiment model, missing {missing}")
                arrays = {name: data[name] for name in _ARRAYS}
            meta = json.loads(arrays["meta"].tobytes().decode())
        except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: cannot read sentiment model: {error}") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: bad model metadata: {error}") from None
        if not isinstance(meta, dict) or (meta.get("format"), meta.get("version")) != (
            FORMAT,
            FORMAT_VERSION,
        ):
            raise ValueError(f"{path} is not a version {FORMAT_VERSION} {FORMAT} file")
        try:
            model = cls(
                labels=list(meta["labels"]),
                features=HashedNgrams.from_params(meta["features"]),
                buckets=arrays["buckets"].astype(np.intp),
                weights=arrays["weights"].astype(np.float32),
                idf=arrays["idf"].astype(np.float32),
                bias=arrays["bias"].astype(np.float32),
                info=meta.get("info", {}),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"{path}: bad model metadata: {error!r}") from None
        model.check(str(path))
        return model

    def check(self, where: str = "model") -> None:
        """Raise ValueError unless shapes, bucket range and values are consistent."""
        classes, size = len(self.labels), self.buckets.size
        if sorted(self.labels) != ["negative", "neutral", "positive"]:
            raise ValueError(f"{where}: labels {self.labels} are not the three sentiments")
        if self.weights.shape != (size, classes) or self.idf.shape != (size,):
            raise ValueError(f"{where}: weights/idf do not match {size} buckets")
        if self.bias.shape != (classes,):
            raise ValueError(f"{where}: bias shape {self.bias.shape}, expected ({classes},)")
        if size and (
            self.buckets.min() < 0
            or self.buckets.max() >= 2**self.features.bits
            or np.any(np.diff(self.buckets) <= 0)
        ):
            raise ValueError(f"{where}: buckets must be unique, sorted and below 2**bits")
        arrays = (self.weights, self.idf, self.bias)
        if not all(np.isfinite(a).all() for a in arrays) or np.any(self.idf < 0):
            raise ValueError(f"{where}: weights or idf are not finite and non-negative")


class LinearEngine:
    """Sentiment from the shipped model; score = P(positive) - P(negative)."""

    name = "linear"

    def __init__(self, model: LinearModel | None = None):
        model = model or LinearModel.load()
        model.check()
        self.model = model
        self.labels = list(model.labels)
        self._features = model.features
        # Softmax ignores a constant added to every class, so only the others' weights
        # minus neutral's are kept: one fewer sum per text.
        neutral = self.labels.index("neutral")
        self._others = [k for k in range(len(self.labels)) if k != neutral]
        relative = model.weights[:, self._others] - model.weights[:, [neutral]]
        # One dense row per bucket: relative weights times idf, then idf**2 (for the norm).
        # Unseen buckets are zeros. A row is one cache line: one memory access per feature.
        table = np.zeros((2**model.features.bits, len(self._others) + 1), dtype=np.float32)
        table[model.buckets, :-1] = relative * model.idf[:, None]
        table[model.buckets, -1] = model.idf**2
        self._table = table
        self._bias = model.bias.astype(np.float64) - float(model.bias[neutral])
        self._positive = self.labels.index("positive")
        self._negative = self.labels.index("negative")

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Class scores up to a constant per text, one row per text, `self.labels` order."""
        count = len(texts)
        # Word and character features are normalised apart: text i's words are slot 2i,
        # its character n-grams slot 2i + 1. Sum per slot, then divide by the slot's norm.
        slot, bucket, _ = self._features.occurrences(texts, slots=True)
        rows = np.take(self._table, bucket, axis=0)
        size = 2 * count
        norms = np.sqrt(np.bincount(slot, weights=rows[:, -1], minlength=size))
        norms[norms == 0] = 1.0
        logits = np.tile(self._bias, (count, 1))
        for column, k in enumerate(self._others):
            per_slot = np.bincount(slot, weights=rows[:, column], minlength=size) / norms
            logits[:, k] += per_slot[0::2] + per_slot[1::2]
        return logits

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in `self.labels` order."""
        logits = self.logits(texts)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def analyse(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        if not texts:
            return []
        probs = self.probabilities(texts)
        labels = self.labels
        winners = probs.argmax(axis=1).tolist()
        scores = np.round(probs[:, self._positive] - probs[:, self._negative], 4).tolist()
        return [(labels[w], s) for w, s in zip(winners, scores, strict=True)]
