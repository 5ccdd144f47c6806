"""A tour's feeds: an iCalendar file for calendar apps (one event per stop, in the venue's
own time zone) and an Atom feed of its stops and live updates for feed readers.

The calendar leaves out a stop it cannot write (a row from before stop times were bounded,
in a year icalendar's VTIMEZONE cannot reach) rather than fail for the whole tour."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from earful.blog.photos import default_src
from earful.blog.river_link import absolute

from .listing import published_tour, stop_paths
from .local_times import local_window, venue_zone
from .models import LiveUpdate, Stop, Tour

PRODID = "-//Earful//Tours//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
FEED_ENTRIES = 50  # the latest changes: stops added, moved or cancelled, live updates
# Years at the venue a calendar event may have: wider than the stop rules'
# (places.FIRST_YEAR to LAST_YEAR), so older rows still show; narrow enough that a
# VTIMEZONE a year either side can be written.
CALENDAR_YEARS = range(1900, 9001)

# --- iCalendar --------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.EARFUL_SITE_URL).hostname or "earful.invalid"


def stop_uid(stop: Stop) -> str:
    """Stable across edits: the stop's id at the site's host."""
    return f"tour-stop-{stop.pk}@{_host()}"


def sequence(stop: Stop) -> int:
    """Grows with every change (seconds from creation to the last change), as calendar
    apps need to replace the event they hold."""
    return max(0, int((stop.updated_at - stop.created_at).total_seconds()))


@lru_cache(maxsize=256)
def _tzid(name: str) -> str:
    """The TZID icalendar writes for times in this zone; "" for zones that are UTC all
    year (UTC itself, Atlantic/Reykjavik ...), whose times it writes as UTC ("...Z")."""
    probe = icalendar.vDDDTypes(datetime(2000, 1, 1, tzinfo=venue_zone(name)))
    return str(probe.params.get("TZID", ""))


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    # Building one is slow for zones without transitions (~100 ms for Asia/Tokyo): keep it.
    return icalendar.Timezone.from_tzinfo(
        venue_zone(tzid),
        tzid=tzid,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    ).to_ical()


class _EventCache:
    """Each stop's VEVENT as bytes, kept while the stop is unchanged.

    icalendar writes about a millisecond per event (line folding char by char), which made
    the calendar of a 100-stop tour ~100 ms of CPU. Everything an event says comes from
    its stop (whose actions set updated_at on every change), the tour's title and slug and
    the site's address, so those are the key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, stop: Stop, tour: Tour) -> bytes:
        key = (stop.pk, stop.updated_at, tour.pk, tour.slug, tour.title, settings.EARFUL_SITE_URL)
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        made = _event(stop, tour).to_ical()
        with self.lock:
            self.entries[key] = made
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return made


_events = _EventCache(size=5_000)


def _location(stop: Stop) -> str:
    return ", ".join(part for part in (stop.venue, stop.address, stop.city) if part)


def _venue_time(moment: datetime, zone) -> datetime:
    """The moment on the venue's clock, as DTSTART/DTEND carry it with the zone's TZID. The
    second of a time that happens twice (clocks going back) is written in UTC instead:
    calendar apps read a TZID time that happens twice as its first (RFC 5545, 3.3.5)."""
    local = moment.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def in_calendar(stop: Stop) -> bool:
    """Whether the stop's times can be written in the calendar (see CALENDAR_YEARS)."""
    zone = venue_zone(stop.time_zone)
    try:
        starts, ends = stop.starts_at.astimezone(zone), stop.ends_at.astimezone(zone)
    except (OverflowError, ValueError):
        return False
    return starts.year in CALENDAR_YEARS and ends.year in CALENDAR_YEARS


def _event(stop: Stop, tour: Tour) -> icalendar.Event:
    zone = venue_zone(stop.time_zone)
    url = absolute(stop.get_absolute_url())
    event = icalendar.Event()
    event.add("uid", stop_uid(stop))
    # Without a METHOD, DTSTAMP is when the event last changed (RFC 5545, 3.8.7.2): the
    # file stays the same between changes, so its ETag does too.
    event.add("dtstamp", stop.updated_at.astimezone(UTC))
    event.add("created", stop.created_at.astimezone(UTC))
    event.add("last-modified", stop.updated_at.astimezone(UTC))
    event.add("sequence", sequence(stop))
    title = f"{tour.title}: {stop.venue}"
    event.add("summary", f"Cancelled: {title}" if stop.cancelled else title)
    event.add("dtstart", _venue_time(stop.starts_at, zone))
    event.add("dtend", _venue_time(stop.ends_at, zone))
    event.add("location", _location(stop))
    if stop.latitude is not None and stop.longitude is not None:
        event.add("geo", (stop.latitude, stop.longitude))
    event.add("url", url)
    description = stop.description.strip()
    event.add("description", f"{description}\n\n{url}" if description else url)
    event.add("status", "CANCELLED" if stop.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def tour_calendar(tour: Tour, stops: list[Stop], *, name: str = "") -> bytes:
    """The iCalendar file of these stops, with a VTIMEZONE for each venue's zone; stops
    whose times it cannot write are left out (in_calendar)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    title = name or tour.title
    calendar.add("name", title)
    calendar.add("x-wr-calname", title)
    calendar.add("url", absolute(tour.get_absolute_url()))
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    years: dict[str, tuple[int, int]] = {}  # TZID -> the years its stops span, and one more
    stops = [stop for stop in stops if in_calendar(stop)]
    for stop in stops:
        stop.tour = tour
        tzid = _tzid(stop.time_zone)
        if tzid:
            first, last = years.get(tzid, (stop.starts_at.year, stop.ends_at.year))
            years[tzid] = (min(first, stop.starts_at.year - 1), max(last, stop.ends_at.year + 1))
    parts = [calendar.to_ical().removesuffix(CALENDAR_END)]
    parts.extend(_vtimezone(tzid, first, last) for tzid, (first, last) in sorted(years.items()))
    parts.extend(_events.get(stop, tour) for stop in stops)
    parts.append(CALENDAR_END)
    return b"".join(parts)


def calendar_stops(tour: Tour) -> list[Stop]:
    return list(tour.stops.order_by("starts_at", "id"))


# --- Atom -------------------------------------------------------------------------------


class TourFeed(Feed):
    """The tour's stops (as they are added, moved or cancelled) and its live updates,
    newest change first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str) -> Tour:
        return published_tour(slug)

    def title(self, obj: Tour) -> str:
        return obj.title

    def subtitle(self, obj: Tour) -> str:
        return f"Stops and live updates of {obj.title}"

    def link(self, obj: Tour) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Tour) -> str:
        return f"{obj.get_absolute_url()}feed.atom"

    def items(self, obj: Tour) -> list:
        path = stop_paths(obj)
        stops = list(obj.stops.order_by("-updated_at", "-id")[:FEED_ENTRIES])
        updates = list(
            LiveUpdate.objects.filter(stop__tour=obj)
            .select_related("stop", "photo", "blog_post")
            .prefetch_related("photo__renditions")
            .order_by("-created_at", "-id")[:FEED_ENTRIES]
        )
        for stop in stops:
            stop.path = path(stop.pk)
        for update in updates:
            update.stop.tour = obj
            update.path = f"{path(update.stop_id)}#update-{update.pk}"
        merged: list = [*stops, *updates]
        merged.sort(key=self.item_updateddate, reverse=True)
        return merged[:FEED_ENTRIES]

    def item_title(self, item) -> str:
        if isinstance(item, LiveUpdate):
            return f"Live from {item.stop.venue}"
        place = f"{item.venue}, {item.city}" if item.city else item.venue
        prefix = "Cancelled: " if item.cancelled else ""
        return f"{prefix}{place} · {local_window(item).label}"

    def item_description(self, item) -> str:
        if isinstance(item, LiveUpdate):
            body = item.text_html or format_html("<p>{}</p>", item.text)
            if item.photo_id and item.photo and item.photo.image:
                body += format_html(
                    '<p><img src="{}" alt="{}" width="{}" height="{}"></p>',
                    absolute(default_src(item.photo)),
                    item.photo.alt,
                    item.photo.width,
                    item.photo.height,
                )
            if item.blog_post_id and item.blog_post and item.blog_post.is_live:
                body += format_html(
                    '<p>On the blog: <a href="{}">{}</a></p>',
                    absolute(item.blog_post.get_absolute_url()),
                    item.blog_post.title,
                )
            return body
        status = "<p><strong>This stop is cancelled.</strong></p>" if item.cancelled else ""
        where = format_html("<p>{}</p>", _location(item))
        return status + where + (item.description_html or "")

    def item_link(self, item) -> str:
        return item.path

    def item_guid(self, item) -> str:
        """A tag URI: the entry keeps its id if the site's paths ever change."""
        kind = "update" if isinstance(item, LiveUpdate) else "stop"
        return f"tag:{_host()},{item.created_at:%Y-%m-%d}:tours/{kind}/{item.pk}"

    def item_guid_is_permalink(self, item) -> bool:
        return False

    def item_pubdate(self, item) -> datetime:
        return item.created_at

    def item_updateddate(self, item) -> datetime:
        return item.created_at if isinstance(item, LiveUpdate) else item.updated_at
