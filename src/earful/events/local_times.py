"""A stop's time window as people at the venue read it: the venue's wall clock, with the
zone's abbreviation (CET, CEST, EST ...), whatever the reader's own time zone is.

Names of days and months are written here rather than with strftime, so the labels do not
depend on the process's locale, and cost one dictionary lookup per stop.

A moment the venue's clock cannot show (a row from before stop times were bounded, at the
very edge of what Python's datetime holds) is shown in UTC rather than breaking the page."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@lru_cache(maxsize=256)
def venue_zone(name: str) -> zoneinfo.ZoneInfo:
    """The stop's zone (names were checked when the stop was saved); UTC if it went away."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def at_venue(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The moment on the venue's clock; in UTC if that clock would leave datetime's years."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError):
        return moment.astimezone(UTC)


def long_day(day: date) -> str:
    """ "30 March 2031"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def abbreviation(moment: datetime) -> str:
    """The zone's short name at that moment; zones without one read "UTC+04"."""
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        return f"UTC{name}" if name else "UTC"
    return name


def _day(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


@dataclass(frozen=True, slots=True)
class LocalWindow:
    starts: datetime  # aware, in the venue's zone
    ends: datetime
    zone_name: str

    @property
    def label(self) -> str:
        """ "Sat 14 Mar 2026, 10:00–18:00 CET"; over several days, both dates; when the
        clocks change during the stop, both abbreviations."""
        starts, ends = self.starts, self.ends
        first, last = abbreviation(starts), abbreviation(ends)
        if starts.date() == ends.date():
            if first == last:
                return f"{_day(starts)}, {_clock(starts)}–{_clock(ends)} {last}"
            return f"{_day(starts)}, {_clock(starts)} {first} – {_clock(ends)} {last}"
        start_zone = f" {first}" if first != last else ""
        return f"{_day(starts)} {_clock(starts)}{start_zone} – {_day(ends)} {_clock(ends)} {last}"

    @property
    def end_clock(self) -> str:
        return f"{_clock(self.ends)} {abbreviation(self.ends)}"

    @property
    def start_label(self) -> str:
        return f"{_day(self.starts)}, {_clock(self.starts)} {abbreviation(self.starts)}"


def moment_label(moment: datetime, zone_name: str) -> str:
    """ "Sat 14 Mar 2026, 14:05 CET": a moment on the venue's clock."""
    local = at_venue(moment, venue_zone(zone_name))
    return f"{_day(local)}, {_clock(local)} {abbreviation(local)}"


def local_day(moment: datetime, zone_name: str) -> str:
    """ "14 Nov 2026": the day at the venue."""
    local = at_venue(moment, venue_zone(zone_name))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def local_window(stop) -> LocalWindow:
    zone = venue_zone(stop.time_zone)
    return LocalWindow(at_venue(stop.starts_at, zone), at_venue(stop.ends_at, zone), zone.key)
