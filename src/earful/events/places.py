"""Where and when a stop is: time zones by IANA name, wall-clock times at the venue,
coordinates on the globe.

Wall-clock times are read as a calendar app reads them (RFC 5545, 3.3.5): a time the
clocks skip when they go forward does not exist and is refused, naming the gap; a time
that happens twice when they go back is its first occurrence (still summer time). Stop
times lie in the years FIRST_YEAR to LAST_YEAR at the venue, which every page, feed and
the feedback window can write."""

from __future__ import annotations

import math
import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .errors import TourError
from .local_times import long_day

FIRST_YEAR = 2000
LAST_YEAR = 2999
YEARS_RULE = f"Stop times are between the years {FIRST_YEAR} and {LAST_YEAR}."


def time_zone(name: str) -> zoneinfo.ZoneInfo:
    name = (name or "").strip()
    try:
        if not name or "/" not in name and name != "UTC":
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise TourError(f"{name!r} is not a time zone; use a name like Europe/Berlin.") from error


def check_year(value: datetime) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise TourError(f"{YEARS_RULE} {value.year:04d} is not.")


def local_moment(value: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The real instant (in UTC) of a wall-clock time at the venue (naive) or of an aware
    datetime. TourError if the year is out of bounds or the time falls in a gap."""
    if timezone.is_aware(value):
        try:
            local = value.astimezone(zone)
        except (OverflowError, ValueError) as error:
            raise TourError(YEARS_RULE) from error
        check_year(local)
        return local.astimezone(UTC)
    check_year(value)
    first = value.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != value.replace(fold=0):
        raise TourError(_gap_message(value, zone))
    return instant


def _gap_message(value: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "02:30 does not exist on 30 March 2031 in Europe/Berlin: clocks go from 02:00 to
    03:00"."""
    before = value.replace(tzinfo=zone, fold=0).utcoffset()
    after = value.replace(tzinfo=zone, fold=1).utcoffset()
    # The change happens between these two instants; find its second.
    low = (value - max(before, after)).replace(tzinfo=UTC)
    high = (value - min(before, after)).replace(tzinfo=UTC)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = high.replace(microsecond=0)
    was = (change + before).replace(tzinfo=None)
    becomes = (change + after).replace(tzinfo=None)
    if was.date() == becomes.date() == value.date():
        clocks = f"clocks go from {was:%H:%M} to {becomes:%H:%M}"
    else:
        clocks = (
            f"clocks go from {was:%H:%M} on {long_day(was)} to {becomes:%H:%M} on "
            f"{long_day(becomes)}"
        )
    return f"{value:%H:%M} does not exist on {long_day(value)} in {zone.key}: {clocks}."


def coordinates(latitude, longitude) -> tuple[float | None, float | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError) as error:
        raise TourError("Coordinates are two numbers: latitude and longitude.") from error
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise TourError("Coordinates must be finite numbers.")
    if not -90 <= lat <= 90:
        raise TourError("Latitude is between -90 and 90.")
    if not -180 <= lon <= 180:
        raise TourError("Longitude is between -180 and 180.")
    return lat, lon
