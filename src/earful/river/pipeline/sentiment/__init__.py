"""Sentiment engines behind one interface, chosen by name.

Every engine labels a batch of texts as positive, neutral or negative with a score in
[-1, 1] (negative to positive). Engines are plain Python, run offline on CPU and load
once per process: `get_engine` caches them. See docs/sentiment.md for measurements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

LABELS = ("negative", "neutral", "positive")
NOT_SCORED = ""  # the label of a text in a language the engine has no model for
DEFAULT_ENGINE = "linear"


class SentimentEngine(Protocol):
    name: str

    def analyse(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[tuple[str, float]]:
        """(label, score) per text, in order; label in LABELS, score in [-1, 1]. With
        `languages` (a code per text, "und" or None when unknown), a text in a language the
        engine cannot read is labelled NOT_SCORED with score 0.0."""
        ...


def _vader() -> SentimentEngine:
    from .vader import VaderEngine

    return VaderEngine()


def _linear() -> SentimentEngine:
    from .languages import PerLanguageEngine

    return PerLanguageEngine()


def _quality() -> SentimentEngine:
    from .quality import QualityEngine

    return QualityEngine()


ENGINES: dict[str, Callable[[], SentimentEngine]] = {
    "vader": _vader,
    "linear": _linear,
    "quality": _quality,
}


@cache
def _engine(name: str) -> SentimentEngine:
    return ENGINES[name]()


def get_engine(name: str = DEFAULT_ENGINE) -> SentimentEngine:
    """The engine called `name`, built once per process."""
    if name not in ENGINES:
        valid = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown sentiment engine {name!r}; valid engines: {valid}")
    return _engine(name)
