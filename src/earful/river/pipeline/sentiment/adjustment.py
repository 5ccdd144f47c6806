"""A per-installation correction of the shipped sentiment models, learnt from people.

The shipped model of a language stays frozen; an adjustment adds a small term to its class
scores: logits = base logits + X·W + b, where X is the text's hashed n-grams (the same
`HashedNgrams` occurrences as the base, tf-idf with the base's idf, L2-normalised per group;
n-grams the base never saw get `unseen_idf`), and W, b a multinomial logistic regression
fitted on people's labels with the base's logits as a fixed offset and a strong L2 pull
toward zero. Few labels move the model little; only n-grams seen in the labels get a weight,
so the file is small, and text sharing nothing with the labels keeps the base's label
(nothing is forgotten).

The file (`EARFUL_SENTIMENT_ADJUSTMENT`, in the data directory, never in the package) is a
versioned .npz: JSON metadata and, per language, buckets, weights and bias. It names the
base model it was fitted on (a fingerprint of its arrays); a language whose base changed is
ignored with a warning. `AdjustmentFile` reloads the file when it changes on disk (checked
at most every `CHECK_EVERY_SECONDS`), and refuses a broken or foreign file with a logged
error, the base models carrying on alone. Written by `earful sentiment learn`
(earful.inbox.sentiment_learning). numpy only: no scikit-learn at run time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import LABELS
from .linear import LinearModel

log = logging.getLogger(__name__)

FORMAT = "earful-sentiment-adjustment"
FORMAT_VERSION = 1
# L2 strength on W and b against the *sum* of the examples' cross-entropy: the prior does
# not grow with the data, so 50 labels nudge the base and 500 move it further. Chosen by
# bench/sentiment_learning.py on languages it does not report (see its --tune).
DEFAULT_STRENGTH = 1.0
# The bias (a shift of every text of the language) is pulled harder: BIAS_PULL x strength.
BIAS_PULL = 10.0
ITERATIONS = 300
CHECK_EVERY_SECONDS = 30.0
MAX_BUCKETS = 2_000_000  # a file claiming more is not ours


def fingerprint(model: LinearModel) -> str:
    """A short hash of the base model's arrays: an adjustment fits one base only."""
    digest = hashlib.sha256()
    for array in (model.buckets, model.weights, model.idf, model.bias):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(json.dumps(model.features.params(), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def unseen_idf(model: LinearModel) -> float:
    """The idf given to n-grams the base never saw: as rare as its rarest."""
    return float(model.idf.max()) if model.idf.size else 1.0


def features(
    model: LinearModel, texts: Sequence[str], unseen: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, bucket, value) of each feature occurrence of `texts` (row = text index):
    tf-idf with the base's idf (`unseen` for its unknown buckets), L2-normalised per text
    and group (words, characters), like the base's own features."""
    slot, bucket, _ = model.features.occurrences(list(texts), slots=True)
    bucket = bucket.astype(np.int64)
    where = np.searchsorted(model.buckets, bucket)
    where[where >= model.buckets.size] = 0
    known = model.buckets.size > 0
    known = known & (model.buckets[where] == bucket) if known else np.zeros(bucket.size, bool)
    weight = np.where(known, model.idf[where], unseen).astype(np.float64)
    norms = np.sqrt(np.bincount(slot, weights=weight**2, minlength=2 * len(texts)))
    norms[norms == 0] = 1.0
    return slot // 2, bucket, weight / norms[slot]


@dataclass
class LanguageAdjustment:
    """W (buckets x classes, LABELS order) and b of one language, for one base model."""

    buckets: np.ndarray  # sorted, unique
    weights: np.ndarray
    bias: np.ndarray
    base: str  # fingerprint() of the base model
    unseen_idf: float
    examples: int = 0

    def check(self, where: str, bits: int | None = None) -> None:
        size = self.buckets.size
        if self.buckets.ndim != 1 or size > MAX_BUCKETS:
            raise ValueError(f"{where}: bad bucket array")
        if self.weights.shape != (size, len(LABELS)) or self.bias.shape != (len(LABELS),):
            raise ValueError(f"{where}: weights/bias do not match {size} buckets")
        if size and (self.buckets.min() < 0 or np.any(np.diff(self.buckets) <= 0)):
            raise ValueError(f"{where}: buckets must be unique, sorted and not negative")
        if bits is not None and size and self.buckets.max() >= 2**bits:
            raise ValueError(f"{where}: bucket beyond 2**{bits}")
        finite = np.isfinite(self.weights).all() and np.isfinite(self.bias).all()
        if not finite or not np.isfinite(self.unseen_idf) or self.unseen_idf < 0:
            raise ValueError(f"{where}: weights are not finite")

    def delta(self, model: LinearModel, texts: Sequence[str]) -> np.ndarray:
        """X·W + b for `texts`, one row per text, LABELS order."""
        out = np.tile(self.bias.astype(np.float64), (len(texts), 1))
        if not texts or not self.buckets.size:
            return out
        row, bucket, value = features(model, texts, self.unseen_idf)
        where = np.searchsorted(self.buckets, bucket)
        where[where >= self.buckets.size] = 0
        hit = self.buckets[where] == bucket
        row, where, value = row[hit], where[hit], value[hit]
        for k in range(len(LABELS)):
            out[:, k] += np.bincount(
                row, weights=value * self.weights[where, k], minlength=len(texts)
            )
        return out


@dataclass
class Adjustment:
    """The adjustments of an installation, by language code."""

    languages: dict[str, LanguageAdjustment]
    info: dict[str, Any] = field(default_factory=dict)
    # for_model's answers: (the model it was asked about, the answer) per language
    _matched: dict[str, tuple[LinearModel, LanguageAdjustment | None]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file renamed over `path`), so a worker reading the
        file never sees half of it."""
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(LABELS),
            "languages": {
                code: {
                    "base": adj.base,
                    "unseen_idf": adj.unseen_idf,
                    "examples": adj.examples,
                }
                for code, adj in self.languages.items()
            },
            "info": self.info,
        }
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)
        }
        for code, adj in self.languages.items():
            if not code.isalnum():
                raise ValueError(f"bad language code {code!r}")
            arrays[f"buckets_{code}"] = adj.buckets.astype("<u4")
            arrays[f"weights_{code}"] = adj.weights.astype("<f4")
            arrays[f"bias_{code}"] = adj.bias.astype("<f4")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
        try:
            with handle:
                np.savez_compressed(handle, **arrays)
            os.replace(handle.name, path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Adjustment:
        """The adjustment in `path`; ValueError saying why if it is not a good one."""
        if not zipfile.is_zipfile(path):
            raise ValueError(f"{path}: not a sentiment adjustment (not an .npz archive)")
        try:
            with np.load(path, allow_pickle=False) as data:
                if "meta" not in data.files:
                    raise ValueError(f"{path}: not a sentiment adjustment (no metadata)")
                meta = json.loads(data["meta"].tobytes().decode())
                if not isinstance(meta, dict) or (meta.get("format"), meta.get("version")) != (
                    FORMAT,
                    FORMAT_VERSION,
                ):
                    raise ValueError(f"{path} is not a version {FORMAT_VERSION} {FORMAT} file")
                if meta.get("labels") != list(LABELS):
                    raise ValueError(f"{path}: labels {meta.get('labels')} are not {LABELS}")
                languages = {}
                for code, about in dict(meta["languages"]).items():
                    if not isinstance(code, str) or not code.isalnum():
                        raise ValueError(f"{path}: bad language code {code!r}")
                    adj = LanguageAdjustment(
                        buckets=data[f"buckets_{code}"].astype(np.int64),
                        weights=data[f"weights_{code}"].astype(np.float32),
                        bias=data[f"bias_{code}"].astype(np.float32),
                        base=str(about["base"]),
                        unseen_idf=float(about["unseen_idf"]),
                        examples=int(about.get("examples", 0)),
                    )
                    adj.check(f"{path} ({code})")
                    languages[str(code)] = adj
        except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: cannot read sentiment adjustment: {error}") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: bad adjustment metadata: {error}") from None
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{path}: bad adjustment metadata: {error!r}") from None
        info = meta.get("info", {})
        return cls(languages=languages, info=info if isinstance(info, dict) else {})

    def for_model(self, code: str, model: LinearModel) -> LanguageAdjustment | None:
        """The adjustment of `code` if it was fitted on `model`, else None (logged once)."""
        known = self._matched.get(code)
        if known is not None and known[0] is model:
            return known[1]
        found = self._match(code, model)
        self._matched[code] = (model, found)
        return found

    def _match(self, code: str, model: LinearModel) -> LanguageAdjustment | None:
        adj = self.languages.get(code)
        if adj is None:
            return None
        if adj.base != fingerprint(model):
            log.warning(
                "sentiment adjustment for %r was fitted on another %r model: ignored; run "
                "`earful sentiment learn` again",
                code,
                code,
            )
            return None
        try:
            adj.check(f"adjustment ({code})", model.features.bits)
        except ValueError as error:
            log.error("%s: ignored", error)
            return None
        return adj


# Fitting ------------------------------------------------------------------------------


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_language(
    model: LinearModel,
    base_logits: np.ndarray,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    strength: float = DEFAULT_STRENGTH,
    iterations: int = ITERATIONS,
    fit_bias: bool = False,
) -> LanguageAdjustment:
    """Fit W (and b if `fit_bias`) minimising sum of cross-entropy(softmax(base + X·W + b),
    label) + strength/2 (|W|² + |b|²) by Nesterov's accelerated gradient (convex: one
    optimum).

    `base_logits` are the base model's class scores of `texts` in LABELS order. No bias by
    default: it shifts every text of the language, and people's labels are not a sample of
    the river (they correct what went wrong), so it would move texts that share nothing
    with them; the n-gram weights carry what they teach."""
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    unseen = unseen_idf(model)
    row, bucket, value = features(model, texts, unseen)
    return fit_features(
        model, base_logits, (row, bucket, value), labels,
        strength=strength, iterations=iterations, fit_bias=fit_bias,
    )  # fmt: skip


def fit_features(
    model: LinearModel,
    base_logits: np.ndarray,
    occurrences: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: Sequence[str],
    *,
    strength: float = DEFAULT_STRENGTH,
    iterations: int = ITERATIONS,
    fit_bias: bool = False,
) -> LanguageAdjustment:
    """`fit_language` on the (row, bucket, value) of `features(model, texts, unseen_idf)`."""
    n, classes = len(labels), len(LABELS)
    if len(base_logits) != n:
        raise ValueError("labels and base logits differ in length")
    if strength <= 0:
        raise ValueError("strength must be positive")
    index = {label: k for k, label in enumerate(LABELS)}
    target = np.zeros((n, classes))
    target[np.arange(n), [index[label] for label in labels]] = 1.0
    row, bucket, value = occurrences
    buckets, col = np.unique(bucket, return_inverse=True)
    size = buckets.size
    base = np.asarray(base_logits, dtype=np.float64)

    # Each text's row has norm <= sqrt(2) (two unit groups) plus the bias' 1, and softmax's
    # curvature is at most 1/2: a safe step is 1 / (1.5 n + strength).
    step = 1.0 / (0.5 * 3.0 * n + BIAS_PULL * strength)
    params = np.zeros((size + 1, classes))  # W, then b in the last row
    ahead = params.copy()
    previous = params.copy()
    for t in range(1, iterations + 1):
        w, b = ahead[:-1], ahead[-1]
        logits = base + b
        for k in range(classes):
            logits[:, k] += np.bincount(row, weights=value * w[col, k], minlength=n)
        error = _softmax(logits) - target
        grad = np.empty_like(ahead)
        for k in range(classes):
            grad[:-1, k] = np.bincount(col, weights=value * error[row, k], minlength=size)
        grad[-1] = error.sum(axis=0) if fit_bias else 0.0
        grad[:-1] += strength * ahead[:-1]
        grad[-1] += BIAS_PULL * strength * ahead[-1]
        params = ahead - step * grad
        ahead = params + (t - 1) / (t + 2) * (params - previous)
        previous = params
    return LanguageAdjustment(
        buckets=buckets.astype(np.int64),
        weights=params[:-1].astype(np.float32),
        bias=params[-1].astype(np.float32),
        base=fingerprint(model),
        unseen_idf=unseen_idf(model),
        examples=n,
    )


# Loading at run time ------------------------------------------------------------------


class AdjustmentFile:
    """The adjustment at `path()` (None: none), reloaded when the file changes; checked
    at most every `check_every` seconds. A file that cannot be used is logged once and the
    base models carry on."""

    def __init__(
        self,
        path: Callable[[], Path | None],
        check_every: float = CHECK_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._path = path
        self.check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        self._checked: float | None = None
        self._seen: tuple | None = None
        self._current: Adjustment | None = None

    def current(self) -> Adjustment | None:
        now = self._clock()
        if self._checked is not None and now - self._checked < self.check_every:
            return self._current
        with self._lock:
            self._checked = now
            path = self._path()
            try:
                stat = path.stat() if path else None
            except OSError:
                stat = None
            seen = (str(path), stat.st_mtime_ns, stat.st_size) if stat else None
            if seen == self._seen:
                return self._current
            self._seen = seen
            self._current = None
            if seen is None:
                return None
            try:
                self._current = Adjustment.load(path)
                log.info("sentiment adjustment loaded from %s", path)
            except ValueError as error:
                log.error("%s; scoring with the shipped models alone", error)
            return self._current


def installation_path() -> Path | None:
    """settings.EARFUL_SENTIMENT_ADJUSTMENT when Django is configured, else None."""
    try:
        from django.conf import settings

        if not settings.configured:
            return None
        value = getattr(settings, "EARFUL_SENTIMENT_ADJUSTMENT", None)
    except ImportError:  # pragma: no cover - Django is a dependency
        return None
    return Path(value) if value else None
