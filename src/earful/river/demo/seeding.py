"""Put the demo into the database: its sources and topics, then its mentions via the river."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..actions import add_topic, create_unpolled_source, ingest_items
from ..models import Source, Topic
from ..pipeline.items import RawItem
from .channels import CHANNELS, Channel
from .generator import DEFAULT_SEED, DemoMention, DemoWriter
from .world import TOPICS

DEFAULT_MENTIONS = 3000
BATCH_SIZE = 500


class DemoError(Exception):
    """The demo cannot be seeded into this database as it is."""


@dataclass
class ChannelReport:
    source: str
    generated: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0


@dataclass
class DemoReport:
    channels: list[ChannelReport] = field(default_factory=list)
    sources_created: int = 0
    topics_created: int = 0

    @property
    def imported(self) -> int:
        return sum(line.imported for line in self.channels)

    @property
    def duplicates(self) -> int:
        return sum(line.duplicates for line in self.channels)


def demo_source(channel: Channel) -> tuple[Source, bool]:
    """The channel's demo source, created disabled and unpolled; (source, created)."""
    source = Source.objects.filter(name=channel.name).first()
    if source is not None:
        if source.kind != channel.kind or not source.config.get("demo"):
            raise DemoError(
                f"a source named {channel.name!r} already exists and is not a demo source; "
                "rename it before seeding the demo"
            )
        return source, False
    return create_unpolled_source(channel.kind, channel.name, {"demo": True}), True


def demo_topics() -> int:
    """Create the demo's topics that do not exist yet (by name); how many were created."""
    created = 0
    for spec in TOPICS:
        if Topic.objects.filter(name=spec.name).exists():
            continue
        try:
            add_topic(spec.name, spec.query, kind=spec.kind, colour=spec.colour)
        except ValueError as exc:
            raise DemoError(f"cannot create the demo topic {spec.name!r}: {exc}") from exc
        created += 1
    return created


def seed_demo(
    mentions: int = DEFAULT_MENTIONS,
    seed: int = DEFAULT_SEED,
    *,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoReport:
    """Seed the demo; running it again with the same seed adds nothing."""
    now = now or timezone.now()
    try:
        generated = DemoWriter(seed, now).take(mentions)
    except ValueError as exc:
        raise DemoError(str(exc)) from exc
    with transaction.atomic():  # all of the demo or none of it
        return _store(generated, batch_size)


def _store(generated: list[DemoMention], batch_size: int) -> DemoReport:
    report = DemoReport()
    sources: dict[str, Source] = {}
    for channel in CHANNELS:
        sources[channel.slug], created = demo_source(channel)
        report.sources_created += created
    # Topics before mentions, so that the pipeline tags the mentions with them.
    report.topics_created = demo_topics()
    by_channel: dict[str, list[RawItem]] = defaultdict(list)
    for mention in generated:
        by_channel[mention.channel].append(mention.item)
    for channel in CHANNELS:
        source = sources[channel.slug]
        items = sorted(by_channel[channel.slug], key=lambda item: item.published_at)
        ingested = ingest_items(source, items, batch_size=batch_size)
        report.channels.append(
            ChannelReport(
                source.name,
                generated=len(items),
                imported=ingested.imported,
                duplicates=ingested.duplicates,
                rejected=ingested.rejected,
            )
        )
    return report
