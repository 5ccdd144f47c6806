"""Every state change of the river: views, API, CLI and tasks call these."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .enrich_pool import EnrichPool
from .files import RowReader, fingerprint, guess_format
from .import_batches import RowBatch, enriched_batches, row_batches
from .ingest import IngestReport, ingest, ingest_batch, make_context
from .models import ImportRun, Mention, Source, Topic
from .pipeline.items import Item, RawItem
from .query import QuerySyntaxError, parse_query
from .store import refresh_statistics

log = logging.getLogger(__name__)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_POLL_MINUTES = 15
# An import this big changes the tables enough for the query planner's row estimates to
# go stale; see store.refresh_statistics.
REFRESH_STATISTICS_AFTER = 10_000


def ingest_items(source: Source, items: Iterable[RawItem], **kwargs) -> IngestReport:
    return ingest(source, items, **kwargs)


def _new_source_name(kind: str, name: str) -> str:
    """The stripped name, once the kind is known and no source has that name yet."""
    name = name.strip()
    if not name:
        raise ValueError("a source needs a name")
    if kind not in Source.Kind.values:
        raise ValueError(f"unknown source kind {kind!r}; choose from {', '.join(Source.Kind)}")
    if Source.objects.filter(name=name).exists():
        raise ValueError(f"a source named {name!r} already exists")
    return name


def create_source(
    kind: str, name: str, config: dict | None = None, poll_every_minutes: int | None = None
) -> Source:
    from .connectors import validate_config

    name = _new_source_name(kind, name)
    config = dict(config or {})
    if kind in Source.POLLED_KINDS:
        config = validate_config(kind, config)
        poll_every_minutes = poll_every_minutes or DEFAULT_POLL_MINUTES
        if poll_every_minutes < 1:
            raise ValueError("the poll interval must be at least one minute")
    else:
        poll_every_minutes = None
    return Source.objects.create(
        kind=kind,
        name=name,
        config=config,
        poll_every_minutes=poll_every_minutes,
        next_poll_at=timezone.now() if poll_every_minutes else None,
    )


def create_unpolled_source(kind: str, name: str, config: dict | None = None) -> Source:
    """A source of any kind that is never polled: history imported from a network, the
    demo's channels. It keeps its kind, so it charts and filters like the live one."""
    name = _new_source_name(kind, name)
    return Source.objects.create(
        kind=kind,
        name=name,
        config=dict(config or {}),
        enabled=False,
        poll_every_minutes=None,
        next_poll_at=None,
    )


def source_for_import(name: str) -> Source:
    """The named source, created as an import source on first use."""
    return _named_source(name, Source.Kind.IMPORT)


def source_for_push(name: str) -> Source:
    return _named_source(name, Source.Kind.API)


def owned_source(name: str) -> Source:
    return _named_source(name, Source.Kind.OWNED)


def owned_app_source(name: str, app: str) -> Source:
    """The owned source an app writes its voices to; `app` names the app that publishes
    replies on it (see inbox.publishing)."""
    source, created = Source.objects.get_or_create(
        name=name, defaults={"kind": Source.Kind.OWNED, "config": {"app": app}}
    )
    if not created and source.config.get("app") != app:
        source.config = {**source.config, "app": app}
        source.save(update_fields=["config"])
    return source


def site_writer(user) -> tuple[str, str]:
    """(author handle, display name) of a site user writing in an owned app: one river
    author per person across the board, the community and the other apps."""
    if user is None:
        return "user:deleted", "(deleted user)"
    return f"user:{user.pk}", user.get_full_name() or user.get_username()


def owned_mention(source: Source, item: RawItem, current: int | None) -> int | None:
    """Put an owned app's object in the river, or refresh the text of its mention
    (`current`, the id the app stored) if that mention still exists; the mention's id,
    None when the pipeline dropped the item (e.g. nothing left after cleaning)."""
    from .pipeline.normalise import text_of

    if current and Mention.objects.filter(pk=current).exists():
        text = text_of(item.text, item.is_html)
        if text:
            Mention.objects.filter(pk=current).update(title=item.title, text=text)
        return current
    ingest_items(source, [item])
    return (
        Mention.objects.filter(source=source, external_id=item.external_id)
        .values_list("id", flat=True)
        .first()
    )


def _named_source(name: str, kind: str) -> Source:
    name = name.strip()
    if not name:
        raise ValueError("a source name is required")
    if len(name) > 200:
        raise ValueError("a source name is at most 200 characters")
    source, _ = Source.objects.get_or_create(name=name, defaults={"kind": kind})
    return source


def add_topic(name: str, query: str, kind: str = Topic.Kind.THEME, colour: str = "") -> Topic:
    name, query = name.strip(), query.strip()
    if not name:
        raise ValueError("a topic needs a name")
    if kind not in Topic.Kind.values:
        raise ValueError(f"unknown topic kind {kind!r}; choose from {', '.join(Topic.Kind)}")
    if colour and not _COLOUR.match(colour):
        raise ValueError("colour must look like #1a2b3c")
    try:
        parse_query(query)
    except QuerySyntaxError as exc:
        raise ValueError(f"invalid query: {exc}") from exc
    if Topic.objects.filter(name=name).exists():
        raise ValueError(f"a topic named {name!r} already exists")
    topic = Topic.objects.create(name=name, query=query, kind=kind)
    if colour:
        topic.colour = colour
        topic.save(update_fields=["colour"])
    return topic


def poll_source(source: Source) -> IngestReport:
    """Fetch new items from a polled source, ingest them, and record the source's health."""
    from .connectors import ConnectorError, get_connector

    now = timezone.now()
    report = IngestReport()
    if source.kind not in Source.POLLED_KINDS:
        raise ValueError(f"{source.name} is a {source.kind} source; only feeds and networks poll")
    try:
        result = get_connector(source.kind).fetch(source.config, dict(source.state))
    except ConnectorError as exc:
        _record_failure(source, str(exc), now)
        report.errors.append(str(exc))
        return report
    except Exception as exc:  # a connector bug must not stop the other sources
        log.exception("polling %s failed", source.name)
        _record_failure(source, f"unexpected error: {exc!r}", now)
        report.errors.append(str(exc))
        return report
    try:
        with transaction.atomic():
            if not result.not_modified:
                report = ingest(source, result.items)
            Source.objects.filter(pk=source.pk).update(
                state=result.state,
                last_polled_at=now,
                last_ok_at=now,
                next_poll_at=now + timedelta(minutes=source.poll_every_minutes or 15),
            )
    except Exception as exc:  # the items are refetched next time: the state was not saved
        log.exception("storing what %s returned failed", source.name)
        _record_failure(source, f"storing failed: {exc!r}", now)
        report.errors.append(str(exc))
        return report
    # Items the connector could not read are reported, not silently lost.
    report.rejected += len(result.skipped)
    report.errors.extend(result.skipped)
    for reason in result.skipped:
        log.warning("%s: skipped an item: %s", source.name, reason)
    return report


def _record_failure(source: Source, message: str, now) -> None:
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_error_at=now,
        last_error=message[:2000],
        next_poll_at=now + timedelta(minutes=source.poll_every_minutes or 15),
    )


def due_sources(now=None) -> list[Source]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(
            enabled=True, kind__in=Source.POLLED_KINDS, next_poll_at__lte=now
        ).order_by("next_poll_at")
    )


def claim_due_source(source: Source, now=None) -> bool:
    """Move the source's next poll forward; False when another scheduler got there first."""
    now = now or timezone.now()
    later = now + timedelta(minutes=source.poll_every_minutes or DEFAULT_POLL_MINUTES)
    return bool(
        Source.objects.filter(pk=source.pk, next_poll_at=source.next_poll_at).update(
            next_poll_at=later
        )
    )


@dataclass
class ImportProgress:
    rows: int  # rows read so far in this file (including skipped on resume)
    position: int  # bytes read
    size: int  # bytes in the file
    report: IngestReport  # totals for the file so far


def import_file(
    source_name: str,
    path: Path,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    *,
    batch_size: int = 1000,
    workers: int = 0,
    on_progress: Callable[[ImportProgress], None] | None = None,
    on_reject: Callable[[int, str], None] | None = None,
) -> IngestReport:
    """Import a JSONL or CSV file of mentions; an interrupted import resumes where it stopped.

    Each batch is stored in the same transaction as the import's progress mark, so a run
    killed at any moment and started again skips exactly the rows already stored. Rows
    that are already stored under their key count as duplicates either way. With
    `workers`, the pipeline's pure stages run in that many processes (see enrich_pool).
    """
    path = Path(path)
    fmt = fmt or guess_format(path)
    source = source_for_import(source_name)
    run, _ = ImportRun.objects.get_or_create(
        source=source, fingerprint=fingerprint(path), defaults={"path": str(path)}
    )
    if run.finished_at is not None:  # importing the same file again: a fresh pass
        ImportRun.objects.filter(pk=run.pk).update(
            rows_done=0, imported=0, duplicates=0, rejected=0, finished_at=None
        )
        run.refresh_from_db()
    total = IngestReport(imported=run.imported, duplicates=run.duplicates, rejected=run.rejected)
    context = make_context(source)
    with RowReader(path, fmt, mapping) as reader, ExitStack() as stack:
        stack.enter_context(frozen_heap())
        if workers > 0:
            pool = EnrichPool(
                workers,
                settings.EARFUL_PIPELINE,
                settings.EARFUL_SENTIMENT_ENGINE,
                getattr(settings, "EARFUL_SPAM_DOMAINS", ()),
                Topic.objects.order_by("id").values_list("id", "query"),
                context.source_names,
                mapping,
            )
            stack.enter_context(pool)
            batches = enriched_batches(pool, reader, run.rows_done, batch_size, source.id)
        else:  # the whole pipeline runs here, in ingest_batch
            batches = ((rows, None) for rows in row_batches(reader, run.rows_done, batch_size))
        for rows, items in batches:
            _store_rows(source, run, rows, items, context, total, on_reject)
            if on_progress is not None:
                on_progress(ImportProgress(rows.seen, rows.position, reader.size, total))
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    if total.imported >= REFRESH_STATISTICS_AFTER:
        refresh_statistics()
    return total


BATCH_GC_THRESHOLD = 20_000  # objects allocated and not yet freed between collections


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector's passes few and short while a long import runs.

    The objects that exist now (Django, models, the pipeline) are frozen, left out of every
    pass: each batch makes tens of thousands of objects, and every full collection would
    otherwise walk the whole heap again. And a pass starts after 20,000 net allocations
    instead of 700: a batch's objects are then mostly freed before any pass looks at them
    (collections went from ~1,000 to ~1 per 100,000 mentions; cyclic garbage, if any,
    still triggers one at 20,000 objects)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], BATCH_GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _store_rows(
    source: Source,
    run: ImportRun,
    rows: RowBatch,
    enriched: list[Item] | None,
    context,
    total: IngestReport,
    on_reject: Callable[[int, str], None] | None,
) -> None:
    rejects = list(rows.rejects)
    with transaction.atomic():
        raw_items = [raw for _, raw in rows.items]
        batch = ingest_batch(source, raw_items, context, enriched=enriched)
        for position, reason in batch.rejections:
            rejects.append((rows.items[position][0], reason))
        batch.rejected += len(rows.rejects)
        total.add(batch)
        ImportRun.objects.filter(pk=run.pk).update(
            rows_done=rows.seen,
            imported=total.imported,
            duplicates=total.duplicates,
            rejected=total.rejected,
        )
    if on_reject is not None:
        for line, reason in sorted(rejects):
            on_reject(line, reason)


def tag_existing(topic: Topic) -> int:
    """Tag the stored mentions that match a topic's query (new topics only tag new mentions).

    Returns how many mentions were newly tagged; running it again tags nothing twice.
    """
    from .search import iter_matches

    tagged = 0
    batch: list[Mention] = []
    for mention in iter_matches(topic.query):
        batch.append(mention)
        if len(batch) >= 1000:
            tagged += _tag(topic, batch)
            batch = []
    return tagged + _tag(topic, batch)


def _tag(topic: Topic, mentions: list[Mention]) -> int:
    from collections import Counter

    from .models import MentionTopic, TopicExclusion
    from .rollups import add_counts, count_mention, move_topic_set

    ids = [m.id for m in mentions]
    with transaction.atomic():
        topics: dict[int, list[int]] = {}
        for mention_id, topic_id in MentionTopic.objects.filter(mention_id__in=ids).values_list(
            "mention_id", "topic_id"
        ):
            topics.setdefault(mention_id, []).append(topic_id)
        known = {mention_id for mention_id, its in topics.items() if topic.id in its}
        known.update(
            TopicExclusion.objects.filter(topic=topic, mention_id__in=ids).values_list(
                "mention_id", flat=True
            )
        )
        fresh = [m for m in mentions if m.id not in known]
        MentionTopic.objects.bulk_create(
            [MentionTopic(mention=m, topic=topic, published_at=m.published_at) for m in fresh]
        )
        counts: Counter = Counter()
        for m in fresh:
            fields = (m.published_at, m.source_id, m.sentiment, m.language, m.spam_score)
            count_mention(counts, *fields, [topic.id], every_mention=False)
            before = topics.get(m.id, [])
            move_topic_set(counts, *fields, before, [*before, topic.id])
        add_counts(counts)
    return len(fresh)


def set_source_enabled(source: Source, enabled: bool) -> None:
    """Pause or resume a source; a resumed polled source is due at once."""
    updates: dict = {"enabled": enabled}
    if enabled and source.poll_every_minutes:
        updates["next_poll_at"] = timezone.now()
    Source.objects.filter(pk=source.pk).update(**updates)


def exclude_from_topic(mention: Mention, topic: Topic, excluded: bool = True) -> None:
    """Remember (or forget) that a person took this mention out of this topic, so that
    tagging stored mentions again does not put it back."""
    from .models import TopicExclusion

    if excluded:
        TopicExclusion.objects.get_or_create(mention=mention, topic=topic)
    else:
        TopicExclusion.objects.filter(mention=mention, topic=topic).delete()


def delete_mentions(mentions) -> int:
    """Delete mentions (a queryset or a list) and take them out of the daily counts, which
    a plain delete would leave counting them. Returns how many were deleted."""
    from collections import Counter

    from .models import MentionTopic
    from .rollups import add_counts, count_mention

    ids = [m.pk for m in mentions]
    deleted = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        with transaction.atomic():
            rows = list(
                Mention.objects.filter(pk__in=chunk).values_list(
                    "id", "published_at", "source_id", "sentiment", "language", "spam_score"
                )
            )
            topics: dict[int, list[int]] = {}
            for mention_id, topic_id in MentionTopic.objects.filter(
                mention_id__in=chunk
            ).values_list("mention_id", "topic_id"):
                topics.setdefault(mention_id, []).append(topic_id)
            counts: Counter = Counter()
            for mention_id, published_at, source_id, sentiment, language, spam in rows:
                count_mention(
                    counts, published_at, source_id, sentiment, language, spam,
                    topics.get(mention_id, ()), sign=-1,
                )  # fmt: skip
            Mention.objects.filter(pk__in=chunk).delete()
            add_counts(counts)
            deleted += len(rows)
    return deleted


def delete_topic(topic: Topic) -> None:
    """Delete a topic and its daily counts (they are keyed by its id, not linked to it);
    its mentions' topic sets lose it (see topic_sets.fold_out_topic)."""
    from .models import DailyCount
    from .topic_sets import fold_out_topic

    with transaction.atomic():
        DailyCount.objects.filter(topic_id=topic.pk).delete()
        fold_out_topic(topic.pk)
        topic.delete()
