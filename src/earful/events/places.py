"""Where and when a stop is: time zones by IANA name, wall-clock times at the venue,
coordinates on the globe."""

from __future__ import annotations

import math
import zoneinfo
from datetime import datetime

from django.utils import timezone

from .errors import TourError


def time_zone(name: str) -> zoneinfo.ZoneInfo:
    name = (name or "").strip()
    try:
        if not name or "/" not in name and name != "UTC":
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise TourError(f"{name!r} is not a time zone; use a name like Europe/Berlin.") from error


def local_moment(value: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """A moment from a wall-clock time at the venue (naive) or an aware datetime."""
    if timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zone)


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
