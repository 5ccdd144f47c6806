"""Named pipeline components; the order to run them in is configuration (EARFUL_PIPELINE)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .base import Component, Context, Pipeline
from .exact_dedupe import exact_dedupe
from .items import Item
from .language import language
from .near_duplicates import near_duplicate_signatures, near_duplicates
from .normalise import normalise
from .questions import questions
from .sentiment import DEFAULT_ENGINE
from .spam import make_spam
from .topics import topics

# Stages that consult the store through Context.index; the rest only look at the item.
INDEX_STAGES = frozenset({"exact_dedupe", "near_duplicates"})

DEFAULT_PIPELINE = (
    "normalise",
    "exact_dedupe",
    "near_duplicates",
    "language",
    "sentiment",
    "topics",
    "spam",
    "questions",
)


def make_sentiment(engine_name: str) -> Component:
    from .sentiment import get_engine

    engine = get_engine(engine_name)

    def sentiment(batch: list[Item], context: Context) -> list[Item]:
        texts = [f"{item.title}\n{item.text}" if item.title else item.text for item in batch]
        languages = [item.language for item in batch]
        for item, (label, score) in zip(batch, engine.analyse(texts, languages), strict=True):
            item.sentiment, item.sentiment_score = label, score
        return batch

    return sentiment


def _factories(sentiment_engine: str, bad_domains: Iterable[str]) -> dict:
    return {
        "normalise": lambda: normalise,
        "exact_dedupe": lambda: exact_dedupe,
        "near_duplicates": lambda: near_duplicates,
        # Precomputes what near_duplicates needs, in a worker (see earful.river.enrich_pool).
        "near_duplicate_signatures": lambda: near_duplicate_signatures,
        "language": lambda: language,
        "sentiment": lambda: make_sentiment(sentiment_engine),
        "topics": lambda: topics,
        "spam": lambda: make_spam(bad_domains),
        "questions": lambda: questions,
    }


def build_pipeline(
    names: Sequence[str] = DEFAULT_PIPELINE,
    *,
    sentiment_engine: str = DEFAULT_ENGINE,
    bad_domains: Iterable[str] = (),
) -> Pipeline:
    factories = _factories(sentiment_engine, bad_domains)
    _check_names(names, factories)
    return Pipeline((name, factories[name]()) for name in names)


def build_index_stages(names: Sequence[str] = DEFAULT_PIPELINE) -> Pipeline:
    """Only the stages of `names` that consult the store, in their order: what is left to
    run on batches enriched elsewhere. Unlike `pipeline.only(INDEX_STAGES)`, the other
    stages are never built (the sentiment engine alone takes ~0.3 s to load)."""
    factories = _factories(DEFAULT_ENGINE, ())
    _check_names(names, factories)
    return Pipeline((name, factories[name]()) for name in names if name in INDEX_STAGES)


def _check_names(names: Sequence[str], factories: dict) -> None:
    unknown = [name for name in names if name not in factories]
    if unknown:
        raise ValueError(
            f"unknown pipeline component(s) {', '.join(unknown)}; known: {', '.join(factories)}"
        )
    if "normalise" not in names or names[0] != "normalise":
        raise ValueError("the pipeline must start with 'normalise'")
