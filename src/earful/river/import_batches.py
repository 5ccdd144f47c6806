"""Reading an import file in batches, with line numbers, for `actions.import_file`.

Sequentially (rows parsed here) or through an EnrichPool (JSONL lines parsed and enriched
in the workers); either way each batch knows how many rows of the file it ends at, so
an interrupted import resumes at the right row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .enrich_pool import EnrichPool
from .files import BadRow, RowReader
from .pipeline.items import Item, RawItem
from .rows import RowError, raw_item_from_row


@dataclass
class RowBatch:
    seen: int  # rows read from the start of the file up to the end of this batch
    position: int  # bytes read up to the end of this batch
    items: list[tuple[int, RawItem]]  # (line, item)
    rejects: list[tuple[int, str]]  # (line, reason)


def enriched_batches(
    pool: EnrichPool, reader: RowReader, skip: int, size: int, source_id: int
) -> Iterator[tuple[RowBatch, list[Item]]]:
    """Batches through the pool's workers; JSONL lines are even parsed there."""
    if reader.fmt != "jsonl":
        for rows, items in pool.map(
            (rows, [Item(raw=raw, source_id=source_id) for _, raw in rows.items])
            for rows in row_batches(reader, skip, size)
        ):
            yield rows, items
        return
    for rows, (numbers, items, rejects) in pool.map_jsonl(
        (batch, lines) for batch, lines in line_batches(reader, skip, size)
    ):
        rows.items = [(number, item.raw) for number, item in zip(numbers, items, strict=True)]
        rows.rejects.extend(rejects)
        yield rows, items


def line_batches(
    reader: RowReader, skip: int, size: int
) -> Iterator[tuple[RowBatch, list[tuple[int, bytes]]]]:
    seen = 0
    batch, lines = RowBatch(0, 0, [], []), []
    for line in reader.jsonl_lines():
        seen += 1
        if seen <= skip:
            continue
        if isinstance(line, BadRow):
            batch.rejects.append((line.line, line.error))
        else:
            lines.append(line)
        if len(lines) + len(batch.rejects) >= size:
            batch.seen, batch.position = seen, reader.position
            yield batch, lines
            batch, lines = RowBatch(0, 0, [], []), []
    batch.seen, batch.position = seen, reader.position
    yield batch, lines


def row_batches(reader: RowReader, skip: int, size: int) -> Iterator[RowBatch]:
    seen = 0
    batch = RowBatch(0, 0, [], [])
    for row in reader:
        seen += 1
        if seen <= skip:
            continue
        if isinstance(row, BadRow):
            batch.rejects.append((row.line, row.error))
        else:
            try:
                batch.items.append((row.line, raw_item_from_row(row.fields)))
            except RowError as exc:
                batch.rejects.append((row.line, str(exc)))
        if len(batch.items) + len(batch.rejects) >= size:
            batch.seen, batch.position = seen, reader.position
            yield batch
            batch = RowBatch(0, 0, [], [])
    batch.seen, batch.position = seen, reader.position
    yield batch
