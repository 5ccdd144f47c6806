"""What the public pages read: published tours (upcoming first) and a tour's stops grouped
by phase, with the next stop, the live ones and the map's markers, in a few queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from .local_times import LocalWindow, local_day, local_window, moment_label
from .map_data import PHASE_LABELS, stop_marker
from .models import LiveUpdate, Stop, Tour

GROUP_ORDER = ("live", "upcoming", "past", "cancelled")
LISTED_FIELDS = (
    "tour_id", "venue", "address", "city", "latitude", "longitude", "time_zone",
    "starts_at", "ends_at", "cancelled",
)  # fmt: skip


def published_tour(slug: str) -> Tour:
    return get_object_or_404(Tour, slug=slug, published=True)


def published_stop(slug: str, stop_id: int) -> Stop:
    """The stop of that published tour; a stop of another tour is not found."""
    return get_object_or_404(
        Stop.objects.select_related("tour"), pk=stop_id, tour__slug=slug, tour__published=True
    )


def _zone_of(stops, order: str):
    return Subquery(stops.order_by(order, "id").values("time_zone")[:1])


def published_tours(now: datetime | None = None) -> list[Tour]:
    """Tours with stops still to come (soonest first), then the others (latest first).

    Each tour carries `dates` (first to last day, on the venues' clocks), `is_live` and
    `next_day` (the next stop's day at its venue)."""
    now = now or timezone.now()
    stops = Stop.objects.filter(tour=OuterRef("pk"))
    coming_stops = stops.filter(ends_at__gt=now, cancelled=False)
    tours = list(
        Tour.objects.filter(published=True).annotate(
            next_start=Min(
                "stops__starts_at", filter=Q(stops__ends_at__gt=now, stops__cancelled=False)
            ),
            first_start=Min("stops__starts_at"),
            last_end=Max("stops__ends_at"),
            stop_count=Count("stops", filter=Q(stops__cancelled=False)),
            first_zone=_zone_of(stops, "starts_at"),
            last_zone=_zone_of(stops, "-ends_at"),
            next_zone=_zone_of(coming_stops, "starts_at"),
        )
    )
    for tour in tours:
        tour.dates = ""
        if tour.first_start is not None:
            first = local_day(tour.first_start, tour.first_zone)
            last = local_day(tour.last_end, tour.last_zone)
            tour.dates = first if first == last else f"{first} – {last}"
        tour.is_live = tour.next_start is not None and tour.next_start <= now
        tour.next_day = local_day(tour.next_start, tour.next_zone) if tour.next_start else ""
    coming = sorted((t for t in tours if t.next_start), key=lambda t: (t.next_start, t.pk))
    done = [t for t in tours if not t.next_start]
    done.sort(key=lambda t: (t.last_end is not None, t.last_end or now, t.pk), reverse=True)
    return coming + done


def stop_paths(tour: Tour) -> Callable[[int], str]:
    """Stop page paths of one tour, reversed once (reverse() per stop was a third of the
    tour page's time at 100 stops)."""
    marker = "987654321"
    head, _, tail = reverse("events:stop", args=[tour.slug, int(marker)]).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(slots=True)
class StopRow:
    stop: Stop
    phase: str
    window: LocalWindow
    url: str
    label: str  # the local time window, computed once
    is_next: bool = False
    update_count: int = 0

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]


@dataclass(slots=True)
class StopGroup:
    phase: str
    label: str
    rows: list[StopRow] = field(default_factory=list)


@dataclass(slots=True)
class TourListing:
    groups: list[StopGroup]
    next_row: StopRow | None
    live_rows: list[StopRow]
    markers: list[dict]
    located: int  # stops on the map
    stop_count: int
    latest_live_update: LiveUpdate | None

    @property
    def unlocated(self) -> int:
        return self.stop_count - self.located


def tour_listing(tour: Tour, now: datetime | None = None) -> TourListing:
    """Live stops first, then upcoming (soonest first), past (latest first), cancelled."""
    now = now or timezone.now()
    stops = (
        tour.stops.only(*LISTED_FIELDS)
        .annotate(update_count=Count("updates"))
        .order_by("starts_at", "id")
    )
    by_phase: dict[str, list[StopRow]] = {phase: [] for phase in GROUP_ORDER}
    rows: list[StopRow] = []
    path = stop_paths(tour)
    for stop in stops:
        window = local_window(stop)
        row = StopRow(
            stop,
            stop.phase(now),
            window,
            path(stop.pk),
            window.label,
            update_count=stop.update_count,
        )
        by_phase[row.phase].append(row)
        rows.append(row)
    next_row = by_phase["upcoming"][0] if by_phase["upcoming"] else None
    if next_row is not None:
        next_row.is_next = True
    by_phase["past"].reverse()
    markers = []
    for row in rows:
        marker = stop_marker(row.stop, row.phase, row.label, row.url, is_next=row.is_next)
        if marker is not None:
            markers.append(marker)
    latest = None
    if by_phase["live"]:
        latest = (
            LiveUpdate.objects.filter(stop__in=[row.stop for row in by_phase["live"]])
            .select_related("stop")
            .order_by("-created_at", "-id")
            .first()
        )
        if latest is not None:
            latest.stop.tour = tour
    groups = [
        StopGroup(phase, PHASE_LABELS[phase], by_phase[phase])
        for phase in GROUP_ORDER
        if by_phase[phase]
    ]
    return TourListing(groups, next_row, by_phase["live"], markers, len(markers), len(rows), latest)


def stop_updates(stop: Stop) -> list[LiveUpdate]:
    """The stop's live updates, newest first, with their photos' renditions and the time
    on the venue's clock (`local_time`)."""
    updates = list(
        stop.updates.select_related("photo", "blog_post").prefetch_related("photo__renditions")
    )
    for update in updates:
        update.stop = stop
        update.local_time = moment_label(update.created_at, stop.time_zone)
    return updates


def neighbours(stop: Stop) -> tuple[Stop | None, Stop | None]:
    """The tour's stops just before and after this one (cancelled ones included: they are
    listed too), for walking the tour from stop to stop."""
    others = Stop.objects.filter(tour_id=stop.tour_id).only("id", "tour_id", "venue", "city")
    before = (
        others.filter(Q(starts_at__lt=stop.starts_at) | Q(starts_at=stop.starts_at, id__lt=stop.pk))
        .order_by("-starts_at", "-id")
        .first()
    )
    after = (
        others.filter(Q(starts_at__gt=stop.starts_at) | Q(starts_at=stop.starts_at, id__gt=stop.pk))
        .order_by("starts_at", "id")
        .first()
    )
    for found in (before, after):
        if found is not None:
            found.tour = stop.tour
    return before, after
