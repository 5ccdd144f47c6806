"""Run the pipeline's pure stages in worker processes, so a big import uses every core.

The pipeline splits in two: stages that consult the store (exact and near-duplicate
detection) and stages that only look at the item (normalising, language, sentiment,
topics, spam, and the MinHash signatures near-duplicate detection needs). The workers
run the second kind on whole batches; the importing process runs the first kind against
the database, in order, just before storing each batch, so duplicates are found across
batches exactly as in a sequential import.

Workers start with the `forkserver` method: they never inherit the parent's database
connections or threads, and they never touch the database.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import fields
from operator import attrgetter
from typing import TypeVar

from .pipeline.base import Context, Pipeline
from .pipeline.items import Item, RawItem
from .pipeline.registry import INDEX_STAGES, build_pipeline

T = TypeVar("T")
# (line number of each item, the enriched items, (line, reason) of each rejected row)
ParsedBatch = tuple[list[int], list[Item], list[tuple[int, str]]]

# Enriched items travel back from the workers as columns, one list per field (see
# pack_items): pickle then writes plain lists of strings and numbers, without a call to
# each item's __reduce__ and a tuple of its fields per item (6.5 instead of 11 us per item).
_RAW_FIELDS = tuple(f.name for f in fields(RawItem))
_ITEM_FIELDS = tuple(f.name for f in fields(Item))[1:]  # all but `raw`, its first field
assert fields(Item)[0].name == "raw"
PackedItems = tuple[list[list], list[list]]


def pack_items(items: list[Item]) -> PackedItems:
    raws = [item.raw for item in items]
    return (
        [list(map(attrgetter(name), raws)) for name in _RAW_FIELDS],
        [list(map(attrgetter(name), items)) for name in _ITEM_FIELDS],
    )


def unpack_items(packed: PackedItems) -> list[Item]:
    raw_columns, item_columns = packed
    return list(map(Item, map(RawItem, *raw_columns), *item_columns))


_worker_pipeline: Pipeline | None = None
_worker_context: Context | None = None
_worker_mapping: dict[str, str] = {}
_worker_source_id = 0


def _start_worker(
    names: tuple[str, ...],
    engine: str,
    bad_domains: tuple[str, ...],
    topics: tuple[tuple[int, str], ...],
    source_names: dict[int, str],
    mapping: dict[str, str],
) -> None:
    from .query import TopicMatcher

    global _worker_pipeline, _worker_context, _worker_mapping, _worker_source_id
    _worker_pipeline = build_pipeline(names, sentiment_engine=engine, bad_domains=bad_domains)
    _worker_context = Context(topic_matcher=TopicMatcher(topics), source_names=source_names)
    _worker_mapping = mapping
    _worker_source_id = next(iter(source_names), 0)
    # The worker's lasting objects are all made: keep the collector's passes to the
    # batches' objects, and few (see actions.frozen_heap).
    gc.freeze()
    gc.set_threshold(max(gc.get_threshold()[0], 20_000), *gc.get_threshold()[1:])


def _enrich(batch: list[Item]) -> list[Item]:
    assert _worker_pipeline is not None and _worker_context is not None
    return _worker_pipeline(batch, _worker_context)


def _enrich_packed(batch: list[Item]) -> PackedItems:
    return pack_items(_share_equal_strings(_enrich(batch)))


def _parse_and_enrich(
    lines: list[tuple[int, bytes]],
) -> tuple[list[int], PackedItems, list[tuple[int, str]]]:
    """Parse JSONL lines into items and enrich them; rows that fail go back as rejects."""
    from .files import BadRow, apply_mapping, parse_jsonl_line
    from .rows import RowError, raw_item_from_row

    numbers: list[int] = []
    items: list[Item] = []
    rejects: list[tuple[int, str]] = []
    for number, line in lines:
        row = apply_mapping(parse_jsonl_line(number, line), _worker_mapping)
        if isinstance(row, BadRow):
            rejects.append((row.line, row.error))
            continue
        try:
            raw = raw_item_from_row(row.fields)
        except RowError as exc:
            rejects.append((number, str(exc)))
            continue
        numbers.append(number)
        items.append(Item(raw=raw, source_id=_worker_source_id))
    return numbers, pack_items(_share_equal_strings(_enrich(items))), rejects


def _share_equal_strings(items: list[Item]) -> list[Item]:
    """Make the normalised text and URL the raw ones where they are equal (most items):
    pickle sends an object it has already sent as a reference, so each goes once."""
    for item in items:
        raw = item.raw
        if item.text == raw.text:
            item.text = raw.text
        if item.canonical_url == raw.url:
            item.canonical_url = raw.url
    return items


def pure_stage_names(names: Iterable[str]) -> tuple[str, ...]:
    """The stages a worker runs: all but those that consult the store, plus signatures."""
    pure = tuple(name for name in names if name not in INDEX_STAGES)
    if "near_duplicates" in names:
        pure += ("near_duplicate_signatures",)
    return pure


class EnrichPool:
    """Enriches batches in `processes` workers; results come back in submission order."""

    def __init__(
        self,
        processes: int,
        names: Iterable[str],
        engine: str,
        bad_domains: Iterable[str],
        topics: Iterable[tuple[int, str]],
        source_names: dict[int, str],
        mapping: dict[str, str] | None = None,
    ) -> None:
        self.processes = processes
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the pipeline (numpy, the query parser, the sentiment
        # featurizer ...) once, and every worker forks from it with all that loaded: one
        # import instead of one per worker. Ignored when the server is already running.
        context.set_forkserver_preload([__name__])
        self.executor = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(
                pure_stage_names(names),
                engine,
                tuple(bad_domains),
                tuple(topics),
                dict(source_names),
                dict(mapping or {}),
            ),
        )

    def map(self, batches: Iterable[tuple[T, list[Item]]]) -> Iterator[tuple[T, list[Item]]]:
        """(tag, enriched batch) for each (tag, batch), in order, a few batches in flight."""
        for tag, packed in self._ordered(_enrich_packed, batches):
            yield tag, unpack_items(packed)

    def map_jsonl(
        self, batches: Iterable[tuple[T, list[tuple[int, bytes]]]]
    ) -> Iterator[tuple[T, ParsedBatch]]:
        """Like `map`, from unparsed JSONL lines: parsing moves to the workers too."""
        for tag, (numbers, packed, rejects) in self._ordered(_parse_and_enrich, batches):
            yield tag, (numbers, unpack_items(packed), rejects)

    def _ordered(self, function, batches: Iterable[tuple[T, object]]) -> Iterator[tuple[T, object]]:
        in_flight: deque[tuple[T, Future]] = deque()
        limit = 2 * self.processes
        for tag, batch in batches:
            in_flight.append((tag, self.executor.submit(function, batch)))
            if len(in_flight) >= limit:
                done_tag, future = in_flight.popleft()
                yield done_tag, future.result()
        while in_flight:
            done_tag, future = in_flight.popleft()
            yield done_tag, future.result()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> EnrichPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
