"""Analyse texts without storing them (`earful analyze`): the pipeline's enrichment stages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain

from django.conf import settings

from .enrich_pool import EnrichPool
from .pipeline.base import Context, Pipeline
from .pipeline.items import Item, RawItem
from .pipeline.registry import build_pipeline

# Stages that need the store (dedupe against stored mentions) or saved topics are left out.
STORE_STAGES = {"exact_dedupe", "near_duplicates", "topics"}
# Batches analysed in this process before worker processes are worth starting.
SEQUENTIAL_BATCHES = 5


def _stage_names() -> tuple[str, ...]:
    return tuple(name for name in settings.EARFUL_PIPELINE if name not in STORE_STAGES)


@lru_cache(maxsize=2)
def _pipeline(names: tuple[str, ...], engine: str) -> Pipeline:
    return build_pipeline(names, sentiment_engine=engine)


def _items(texts: Sequence[str]) -> list[Item]:
    return [Item(raw=RawItem(text=text), source_id=0) for text in texts]


def _results(batch: list[Item]) -> list[dict]:
    """One result per item: an empty text is neutral with language "und"; a text in a
    language without a sentiment model is "unscored"."""
    return [
        {
            "sentiment": item.sentiment
            or ("neutral" if item.language in ("", "und") else "unscored"),
            "score": round(item.sentiment_score, 4),
            "language": item.language or "und",
            "spam": round(item.spam_score, 4),
        }
        for item in batch
    ]


def analyse_texts(texts: Sequence[str]) -> list[dict]:
    batch = _items(texts)
    _pipeline(_stage_names(), settings.EARFUL_SENTIMENT_ENGINE)(batch, Context())
    return _results(batch)


def analyse_batches(batches: Iterable[Sequence[str]], workers: int = 0) -> Iterator[list[dict]]:
    """Results batch by batch, in order. Long inputs move to `workers` processes after the
    first few batches, so a short input never pays for starting them."""
    batches = iter(batches)
    for count, texts in enumerate(batches, start=1):
        yield analyse_texts(texts)
        if workers and count >= SEQUENTIAL_BATCHES:
            break
    else:
        return
    try:
        first = next(batches)
    except StopIteration:
        return
    with EnrichPool(workers, _stage_names(), settings.EARFUL_SENTIMENT_ENGINE, (), (), {}) as pool:
        for _, batch in pool.map((None, _items(texts)) for texts in chain([first], batches)):
            yield _results(batch)
