"""The store step: the only place that turns pipeline output into rows.

Writes in bulk and is idempotent: an item whose key is already stored is dropped by the
pipeline's exact_dedupe stage before it gets here, and a concurrent writer that got there
first is caught by the unique key and retried.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import chain

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .hooks import run_after_store
from .models import Author, Mention, MentionBand, MentionTopic, Source
from .pipeline.items import Item
from .rollups import add_counts, count_mention

CHUNK = 2000  # values per IN (...) query, well under every database's parameter limit
MENTIONS = Mention._meta.db_table
BANDS = MentionBand._meta.db_table


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _statement_sized_chunks(values: Sequence, size: int) -> Iterable[Sequence]:
    """`values` in chunks of `size`, the rest in chunks of powers of two (2500 -> 2048,
    256, 128, 64, 4): a handful of statement texts, each prepared once.

    SQLite compiles a statement per distinct text and the driver keeps the last 128: a
    batch's odd-sized last chunk is a new text every time, and compiling a multi-row
    INSERT of thousands of values costs milliseconds (band rows: 9.3 -> 8.1 us each
    mention).
    """
    start, end = 0, len(values)
    while end - start >= size:
        yield values[start : start + size]
        start += size
    while start < end:
        step = 1 << ((end - start).bit_length() - 1)
        yield values[start : start + step]
        start += step


def _select_in(
    sql: str, values: Iterable, size: int = CHUNK, leading: Sequence = ()
) -> list[tuple]:
    """Rows of `sql` (with one `IN {}` slot, after any `leading` parameters) for all
    `values`, asked in chunks.

    Raw SQL: the index lookups run for every batch, and the ORM spends more time preparing
    thousands of IN parameters than the database spends answering.
    """
    rows: list[tuple] = []
    sqlite = connection.vendor == "sqlite"
    marker = "?" if sqlite else "%s"
    if sqlite:
        # Straight to the driver, as in insert_rows: Django's wrapper would rewrite each of
        # the thousands of %s with a regular expression on every call.
        sql = sql.replace("%s", "?")
    with connection.cursor() as cursor:
        execute = partial(sqlite3.Cursor.execute, cursor.cursor) if sqlite else cursor.execute
        for chunk in _chunks(list(values), size):
            execute(sql.format("(" + ", ".join([marker] * len(chunk)) + ")"), [*leading, *chunk])
            rows.extend(cursor.fetchall())
    return rows


class DatabaseIndex:
    """The pipeline's view of what is already stored (see pipeline.base.MentionIndex)."""

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        sql = f"SELECT key FROM {MENTIONS} WHERE key IN {{}}"
        return {row[0] for row in _select_in(sql, set(keys))}

    # No ORDER BY in these two: it tempts SQLite into walking the primary key instead of
    # the index, which makes every lookup a full scan. The oldest match wins in Python.
    def roots_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        # The first copy of each content, from the (content_hash, id) index alone, then its
        # cluster root: popular texts have thousands of copies, and reading each row of
        # each copy made this lookup grow with the size of the store.
        first = dict(
            _select_in(
                f"SELECT content_hash, min(id) FROM {MENTIONS} "
                "WHERE content_hash IN {} GROUP BY content_hash",
                set(hashes),
            )
        )
        roots = dict(
            _select_in(
                f"SELECT id, coalesce(duplicate_of_id, id) FROM {MENTIONS} WHERE id IN {{}}",
                first.values(),
            )
        )
        return {content_hash: roots[mention_id] for content_hash, mention_id in first.items()}

    def roots_by_band(self, bands: Sequence[int]) -> dict[int, int]:
        # The oldest mention per band, chosen here: a band nearly always has one mention
        # (only cluster roots store theirs) or none, and leaving out SQLite's GROUP BY
        # makes each of the ~8 lookups per mention ~10% cheaper.
        roots: dict[int, int] = {}
        sql = f"SELECT band, mention_id FROM {BANDS} WHERE band IN {{}}"
        for band, mention_id in _select_in(sql, set(bands)):
            if mention_id < roots.get(band, mention_id + 1):
                roots[band] = mention_id
        return roots


@dataclass
class StoreResult:
    stored: int = 0
    raced: int = 0  # stored meanwhile by another writer


def store_items(source: Source, items: list[Item]) -> StoreResult:
    """Write the items of one batch (none dropped) in one transaction."""
    result = StoreResult()
    if not items:
        return result
    try:
        with transaction.atomic():
            _write(source, items)
            result.stored = len(items)
    except IntegrityError:
        # Another writer stored some of these keys since the pipeline looked: keep the rest.
        known = DatabaseIndex().existing_keys([item.key for item in items])
        fresh = [item for item in items if item.key not in known]
        for item in items:
            if item.key in known:
                item.dropped = "known"
        result.raced = len(items) - len(fresh)
        if fresh:
            with transaction.atomic():
                _write(source, fresh)
        result.stored = len(fresh)
    return result


MENTION_COLUMNS = (
    "id", "source_id", "key", "external_id", "url", "canonical_url", "author_id", "title",
    "text", "language", "published_at", "fetched_at", "parent_id", "parent_key", "owned",
    "sentiment",
    "sentiment_score", "spam_score", "content_hash", "duplicate_of_id", "site",
)  # fmt: skip


def _reserve_ids(table: str, count: int) -> list[int]:
    """`count` fresh primary keys for `table`; the caller holds the write transaction.

    Rows are inserted with explicit ids so that one executemany stores a whole batch: the
    ORM's bulk_create spends most of its time preparing values, and cannot return ids on
    every backend.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction began IMMEDIATE, so no other writer can take these ids.
        cursor.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max(id) FROM {table}), 0))",
            [table],
        )
        start = cursor.fetchone()[0]
        return list(range(start + 1, start + 1 + count))


def _write(source: Source, items: list[Item]) -> None:
    now = timezone.now()
    when = datetime_adapter()
    fetched = when(now)
    authors = _upsert_authors(source, items, now)
    new_ids = _reserve_ids(MENTIONS, len(items))
    ids = {item.key: mention_id for item, mention_id in zip(items, new_ids, strict=True)}
    # With the ids known before the insert, parents and in-batch duplicates are linked in
    # the same statement; only replies stored before their parent need an UPDATE later.
    wanted = {i.parent_key for i in items if i.parent_key and i.parent_key not in ids}
    parents = dict(_select_in(f"SELECT key, id FROM {MENTIONS} WHERE key IN {{}}", wanted))
    parents.update(ids)
    rows = []
    counts: Counter = Counter()
    topic_rows = []
    source_id = source.id
    for mention_id, item in zip(new_ids, items, strict=True):
        raw = item.raw
        published = raw.published_at
        if published is None or published.tzinfo is not UTC:
            published = in_utc_range(published) or now
        published_text = when(published)
        sentiment = item.sentiment  # "" when the language has no model: not scored
        count_mention(
            counts, published, source_id, sentiment, item.language, item.spam_score, item.topics
        )
        if item.topics:
            topic_rows.extend((mention_id, t, published_text) for t in item.topics)
        rows.append(
            (
                mention_id,
                source_id,
                item.key,
                raw.external_id[:300],
                raw.url[:2000],
                item.canonical_url[:2000],
                authors.get(raw.author),
                item.title,
                item.text,
                item.language,
                published_text,
                fetched,
                parents.get(item.parent_key) if item.parent_key else None,
                item.parent_key,
                raw.owned,
                sentiment,
                item.sentiment_score,
                item.spam_score,
                item.content_hash,
                item.duplicate_of_id or ids.get(item.duplicate_of_key),
                item.site,
            )
        )
    insert_rows(MENTIONS, MENTION_COLUMNS, rows)
    _adopt_orphans(ids)
    insert_rows(MentionTopic._meta.db_table, ("mention_id", "topic_id", "published_at"), topic_rows)
    add_counts(counts)
    run_after_store(source, list(zip(new_ids, items, strict=True)))
    insert_rows(BANDS, ("band", "mention_id"), [(b, ids[i.key]) for i in items for b in i.bands])


def _upsert_authors(source: Source, items: list[Item], now) -> dict[str, int]:
    """Create new authors and fold this batch into every author's counts, all in SQL."""
    seen: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        handle = item.raw.author.strip()[:300]
        if handle:
            item.raw.author = handle
            seen[handle].append(item)
    if not seen:
        return {}
    table = Author._meta.db_table
    when = datetime_adapter()
    insert_rows(
        table,
        ("source_id", "handle", "name", "profile_url", "mention_count"),
        [(source.id, handle, "", "", 0) for handle in seen],
        on_conflict="(source_id, handle) DO NOTHING",
    )
    updates = []
    for handle, its_items in seen.items():
        name = url = ""
        reach = None
        moments = []
        for item in its_items:
            raw = item.raw
            name = raw.author_name[:300] or name
            url = raw.author_url[:1000] or url
            if raw.author_reach is not None:
                reach = clamp_reach(raw.author_reach)
            moments.append(in_utc_range(raw.published_at) or now)
        first, last = when(min(moments)), when(max(moments))
        updates.append(
            (len(its_items), name, name, url, url, reach, first, first, last, last,
             source.id, handle)
        )  # fmt: skip
    _execute_many(
        f"UPDATE {table} SET mention_count = mention_count + %s, "
        "name = CASE WHEN %s <> '' THEN %s ELSE name END, "
        "profile_url = CASE WHEN %s <> '' THEN %s ELSE profile_url END, "
        "reach = coalesce(%s, reach), "
        "first_seen = CASE WHEN first_seen IS NULL OR first_seen > %s THEN %s "
        "ELSE first_seen END, "
        "last_seen = CASE WHEN last_seen IS NULL OR last_seen < %s THEN %s ELSE last_seen END "
        "WHERE source_id = %s AND handle = %s",
        updates,
    )
    sql = f"SELECT handle, id FROM {table} WHERE source_id = %s AND handle IN {{}}"
    return dict(_select_in(sql, seen, leading=[source.id]))


def insert_rows(
    table: str, columns: Sequence[str], rows: list[tuple], on_conflict: str = ""
) -> None:
    """Insert with multi-row VALUES statements: on SQLite the full-text trigger costs about
    ten times more per statement than per row, so one statement per row would be slow."""
    per_statement = max(1, 9000 // len(columns))  # SQLite allows 32766 parameters
    sqlite = connection.vendor == "sqlite"
    row_sql = "(" + ", ".join(["?" if sqlite else "%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        # On SQLite, go straight to the driver: Django's wrapper rewrites every %s of a
        # statement with a regular expression, which costs more than the insert itself.
        execute = partial(sqlite3.Cursor.execute, cursor.cursor) if sqlite else cursor.execute
        for chunk in _statement_sized_chunks(rows, per_statement):
            execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                + ", ".join([row_sql] * len(chunk))
                + (f" ON CONFLICT {on_conflict}" if on_conflict else ""),
                list(chain.from_iterable(chunk)),
            )


def clamp_reach(reach: int) -> int:
    """Connectors pass what a server said: keep it inside a 64-bit column."""
    return min(max(0, reach), 2**62)


def in_utc_range(moment: datetime | None) -> datetime | None:
    """The moment, unless it cannot be expressed in UTC (year 1 with a positive offset)."""
    if moment is None or moment.tzinfo is UTC:
        return moment
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return None
    return moment


def datetime_adapter() -> Callable[[datetime | None], object]:
    """How a datetime goes into a raw query: SQLite keeps Django's naive UTC text form."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value

    def adapt(value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is UTC:  # the common case: str() ends with "+00:00"
            return str(value)[:-6]
        return str(value.astimezone(UTC).replace(tzinfo=None))

    return adapt


def _execute_many(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _adopt_orphans(ids: dict[str, int]) -> None:
    """Replies stored before their parent get it now that it is here."""
    # parent_id is filtered here rather than in SQL: most mentions have none, and a
    # "parent_id IS NULL" condition makes SQLite walk that index over the whole table.
    rows = _select_in(
        # The condition repeats the partial index's own, word for word, so SQLite uses it.
        f"SELECT parent_key, parent_id FROM {MENTIONS} WHERE NOT (parent_key = '') "
        "AND parent_key IN {}",
        ids,
    )
    orphans_of = {parent_key for parent_key, parent_id in rows if parent_id is None}
    _execute_many(
        f"UPDATE {MENTIONS} SET parent_id = %s WHERE parent_key = %s AND parent_id IS NULL",
        [(ids[key], key) for key in orphans_of],
    )


def refresh_statistics() -> None:
    """Update the query planner's statistics of the river's tables after a bulk import.

    PostgreSQL's autovacuum gets there eventually, but until it does the planner believes
    a freshly imported table holds a handful of rows and picks plans that sort a whole
    period to show its newest page (60 ms instead of 1 on 50,000 mentions)."""
    tables = [MENTIONS, MentionTopic._meta.db_table, BANDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
