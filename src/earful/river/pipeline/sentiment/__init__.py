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
DEFAULT_ENGINE = "linear"


class SentimentEngine(Protocol):
    name: str

    def analyse(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(label, score) per text, in order; label in LABELS, score in [-1, 1]."""
        ...


def _vader() -> SentimentEngine:
    from .vader import VaderEngine

    return VaderEngine()


def _linear() -> SentimentEngine:
    from .linear import LinearEngine

    return LinearEngine()


ENGINES: dict[str, Callable[[], SentimentEngine]] = {"vader": _vader, "linear": _linear}


@cache
def _engine(name: str) -> SentimentEngine:
    return ENGINES[name]()


def get_engine(name: str = DEFAULT_ENGINE) -> SentimentEngine:
    """The engine called `name`, built once per process."""
    if name not in ENGINES:
        valid = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown sentiment engine {name!r}; valid engines: {valid}")
    return _engine(name)
