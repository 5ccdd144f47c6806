"""Sentiment by language: each text is scored by the model of its language, or not at all.

One linear model per language ships in `data/sentiment-<code>.npz` (rebuilt by
scripts/train_language_sentiment.py). A text whose language has no model gets no label
(NOT_SCORED) rather than another language's guess. Texts whose language could not be
determined ("und", or no language given) are read as UNDETERMINED_AS (English): what the
detector cannot call is mostly a few words, emoji or links, and in the river that is mostly
English. Models load on first use, so a river in two languages holds two tables in memory.

An installation may add a correction learnt from its people's labels on top of the models
(adjustment.py, `earful sentiment learn`): the default engine reads
settings.EARFUL_SENTIMENT_ADJUSTMENT when the file exists and follows its changes.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from . import LABELS, NOT_SCORED
from .adjustment import Adjustment, AdjustmentFile, installation_path
from .linear import LinearEngine, LinearModel

MODEL_DIR = Path(__file__).with_name("data")
UNDETERMINED_AS = "en"
_UNDETERMINED = frozenset({"", "und"})


def model_path(language: str) -> Path:
    return MODEL_DIR / f"sentiment-{language}.npz"


@cache
def shipped_languages() -> frozenset[str]:
    """Language codes with a model file next to this module."""
    return frozenset(
        path.stem.removeprefix("sentiment-") for path in MODEL_DIR.glob("sentiment-*.npz")
    )


def scoring_language(language: str | None, known: frozenset[str] | None = None) -> str:
    """The model a text declared or detected as `language` is scored with: a code of
    `known` (default: the shipped models), or NOT_SCORED."""
    code = (language or "").split("-")[0].lower()
    if code in _UNDETERMINED:
        code = UNDETERMINED_AS
    return code if code in (shipped_languages() if known is None else known) else NOT_SCORED


def by_language(
    texts: Sequence[str], languages: Sequence[str | None] | None, known: frozenset[str]
) -> dict[str, list[int]]:
    """Indexes of `texts` per model language of `known` (NOT_SCORED: no model). Without
    `languages`, every text is read as undetermined (English)."""
    if languages is None:
        languages = [None] * len(texts)
    elif len(languages) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
    groups: dict[str, list[int]] = defaultdict(list)
    for index, language in enumerate(languages):
        groups[scoring_language(language, known)].append(index)
    return groups


INSTALLATION = "installation"  # `adjustments`: the installation's file, if it has one


def base_logits(engine: LinearEngine, texts: Sequence[str]) -> np.ndarray:
    """The model's class scores of `texts`, columns in LABELS order."""
    return engine.logits(texts)[:, [engine.labels.index(label) for label in LABELS]]


def labelled(logits: np.ndarray) -> list[tuple[str, float]]:
    """(label, score) per row of class scores in LABELS order, as LinearEngine.analyse."""
    logits = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    positive, negative = LABELS.index("positive"), LABELS.index("negative")
    scores = np.round(probs[:, positive] - probs[:, negative], 4).tolist()
    return [(LABELS[w], s) for w, s in zip(probs.argmax(axis=1).tolist(), scores, strict=True)]


class PerLanguageEngine:
    """Linear models per language; `analyse` groups a batch by language, one call each.

    `adjustments`: an Adjustment, an AdjustmentFile, None for the models alone, or
    INSTALLATION (default): the installation's file (see adjustment.py) for the shipped
    models, none for models given."""

    name = "linear"

    def __init__(
        self,
        models: dict[str, LinearModel] | None = None,
        adjustments: Adjustment | AdjustmentFile | str | None = INSTALLATION,
    ):
        self._given = models
        self._engines: dict[str, LinearEngine] = {}
        self._lock = threading.Lock()
        if adjustments == INSTALLATION:
            adjustments = AdjustmentFile(installation_path) if models is None else None
        elif isinstance(adjustments, str):
            raise ValueError(f"unknown adjustments {adjustments!r}")
        self.adjustments = adjustments

    def with_adjustments(
        self, adjustments: Adjustment | AdjustmentFile | None
    ) -> PerLanguageEngine:
        """The same models (shared, not reloaded) with other adjustments."""
        other = PerLanguageEngine(self._given, adjustments)
        other._engines = self._engines
        other._lock = self._lock
        return other

    def current_adjustment(self) -> Adjustment | None:
        source = self.adjustments
        return source.current() if isinstance(source, AdjustmentFile) else source

    def languages(self) -> frozenset[str]:
        return frozenset(self._given) if self._given is not None else shipped_languages()

    def engine_for(self, language: str) -> LinearEngine:
        engine = self._engines.get(language)
        if engine is None:
            with self._lock:
                engine = self._engines.get(language)
                if engine is None:
                    if self._given is not None:
                        model = self._given[language]
                    else:
                        model = LinearModel.load(model_path(language))
                    engine = self._engines[language] = LinearEngine(model)
        return engine

    def analyse(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[tuple[str, float]]:
        """(label, score) per text; label NOT_SCORED and score 0.0 for a language without a
        model. Without `languages`, every text is read as undetermined (English)."""
        groups = by_language(texts, languages, self.languages())
        adjustment = self.current_adjustment()
        results: list[tuple[str, float]] = [(NOT_SCORED, 0.0)] * len(texts)
        for code, indexes in groups.items():
            if code == NOT_SCORED:
                continue
            engine = self.engine_for(code)
            chosen = [texts[i] for i in indexes]
            adjust = adjustment.for_model(code, engine.model) if adjustment else None
            if adjust is None:
                found = engine.analyse(chosen)
            else:
                found = labelled(base_logits(engine, chosen) + adjust.delta(engine.model, chosen))
            for index, result in zip(indexes, found, strict=True):
                results[index] = result
        return results
