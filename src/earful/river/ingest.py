"""`ingest(source, items)`: the one entry point of the river, for connectors and owned apps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from django.conf import settings

from .models import Source, Topic
from .pipeline.base import Context, Pipeline
from .pipeline.items import Item, RawItem
from .pipeline.registry import build_index_stages, build_pipeline
from .query import TopicMatcher
from .store import DatabaseIndex, store_items

BATCH_SIZE = 1000


@dataclass
class IngestReport:
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    # (position in the batch, reason) of each item the pipeline rejected.
    rejections: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: IngestReport) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.errors.extend(other.errors)

    def __str__(self) -> str:
        return f"imported={self.imported} duplicates={self.duplicates} rejected={self.rejected}"


@lru_cache(maxsize=4)
def _pipeline(names: tuple[str, ...], engine: str, bad_domains: tuple[str, ...]) -> Pipeline:
    return build_pipeline(names, sentiment_engine=engine, bad_domains=bad_domains)


def current_pipeline() -> Pipeline:
    return _pipeline(
        tuple(settings.EARFUL_PIPELINE),
        settings.EARFUL_SENTIMENT_ENGINE,
        tuple(getattr(settings, "EARFUL_SPAM_DOMAINS", ())),
    )


@lru_cache(maxsize=4)
def _index_stages(names: tuple[str, ...]) -> Pipeline:
    return build_index_stages(names)


@lru_cache(maxsize=4)
def _topic_matcher(topics: tuple[tuple[int, str], ...]) -> TopicMatcher:
    return TopicMatcher(topics)


def current_topic_matcher() -> TopicMatcher:
    return _topic_matcher(tuple(Topic.objects.order_by("id").values_list("id", "query")))


def make_context(source: Source) -> Context:
    return Context(
        index=DatabaseIndex(),
        topic_matcher=current_topic_matcher(),
        source_names={source.id: source.name},
    )


def _batches(items: Iterable[RawItem], size: int) -> Iterator[list[RawItem]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest_batch(
    source: Source,
    raw_items: list[RawItem],
    context: Context,
    *,
    enriched: list[Item] | None = None,
) -> IngestReport:
    """Run one batch through the pipeline and store it. `enriched` is the batch already
    through the pure stages (in an EnrichPool worker): only the store stages remain."""
    report = IngestReport()
    if enriched is None:
        batch = [Item(raw=raw, source_id=source.id) for raw in raw_items]
        current_pipeline()(batch, context)
    else:
        batch = enriched
        _index_stages(tuple(settings.EARFUL_PIPELINE))(batch, context)
    live = [item for item in batch if not item.dropped]
    result = store_items(source, live)
    report.imported = result.stored
    for position, item in enumerate(batch):
        if item.dropped == "empty":
            report.rejected += 1
            report.rejections.append((position, item.error))
            report.errors.append(f"{item.raw.external_id or item.raw.url or '?'}: {item.error}")
        elif item.dropped in ("known", "repeat"):
            report.duplicates += 1
    return report


def ingest(
    source: Source,
    items: Iterable[RawItem],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int, IngestReport], None] | None = None,
) -> IngestReport:
    """Run items through the pipeline and store them; the same item twice is one Mention."""
    report = IngestReport()
    context = make_context(source)
    for raw_batch in _batches(items, batch_size):
        batch_report = ingest_batch(source, raw_batch, context)
        report.add(batch_report)
        if on_batch is not None:
            on_batch(len(raw_batch), batch_report)
    return report
