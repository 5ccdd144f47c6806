"""Analyse texts without storing them (`earful analyze`): the pipeline's enrichment stages."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings

from .pipeline.base import Context, Pipeline
from .pipeline.items import Item, RawItem
from .pipeline.registry import build_pipeline

# Stages that need the store (dedupe against stored mentions) or saved topics are left out.
STORE_STAGES = {"exact_dedupe", "near_duplicates", "topics"}


@lru_cache(maxsize=2)
def _pipeline(names: tuple[str, ...], engine: str) -> Pipeline:
    return build_pipeline(names, sentiment_engine=engine)


def analysis_pipeline() -> Pipeline:
    names = tuple(name for name in settings.EARFUL_PIPELINE if name not in STORE_STAGES)
    return _pipeline(names, settings.EARFUL_SENTIMENT_ENGINE)


def analyse_texts(texts: Sequence[str]) -> list[dict]:
    """One result per text, in order; an empty text is neutral with language "und"."""
    batch = [Item(raw=RawItem(text=text), source_id=0) for text in texts]
    analysis_pipeline()(batch, Context())
    return [
        {
            "sentiment": item.sentiment or "neutral",
            "score": round(item.sentiment_score, 4),
            "language": item.language or "und",
            "spam": round(item.spam_score, 4),
        }
        for item in batch
    ]
