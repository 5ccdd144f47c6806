"""Every state change of the river: views, API, CLI and tasks call these."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .ingest import IngestReport, ingest
from .models import Source, Topic
from .pipeline.items import RawItem
from .query import QuerySyntaxError, parse_query

log = logging.getLogger(__name__)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_POLL_MINUTES = 15


def ingest_items(source: Source, items: Iterable[RawItem], **kwargs) -> IngestReport:
    return ingest(source, items, **kwargs)


def create_source(
    kind: str, name: str, config: dict | None = None, poll_every_minutes: int | None = None
) -> Source:
    from .connectors import validate_config

    name = name.strip()
    if not name:
        raise ValueError("a source needs a name")
    if kind not in Source.Kind.values:
        raise ValueError(f"unknown source kind {kind!r}; choose from {', '.join(Source.Kind)}")
    if Source.objects.filter(name=name).exists():
        raise ValueError(f"a source named {name!r} already exists")
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


def source_for_import(name: str) -> Source:
    """The named source, created as an import source on first use."""
    return _named_source(name, Source.Kind.IMPORT)


def source_for_push(name: str) -> Source:
    return _named_source(name, Source.Kind.API)


def owned_source(name: str) -> Source:
    return _named_source(name, Source.Kind.OWNED)


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
    with transaction.atomic():
        if not result.not_modified:
            report = ingest(source, result.items)
        Source.objects.filter(pk=source.pk).update(
            state=result.state,
            last_polled_at=now,
            last_ok_at=now,
            next_poll_at=now + timedelta(minutes=source.poll_every_minutes or 15),
        )
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
