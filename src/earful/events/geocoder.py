"""Finding a stop's coordinates from its address: optional, never required.

settings.EARFUL_GEOCODER_URL is a Nominatim-compatible search URL (e.g.
https://nominatim.openstreetmap.org/search); the address goes in its `q` parameter and
`format=jsonv2` asks for a JSON list of places with `display_name`, `lat` and `lon`.
The request goes through earful.web (address guard, time and byte limits). With no URL
configured, staff type the coordinates."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache

from earful.web import FetchError, fetch

from .errors import TourError

TIMEOUT = 8.0
MAX_BYTES = 512 * 1024
MAX_CANDIDATES = 5
MAX_QUERY = 300
CACHE_SECONDS = 7 * 24 * 3600  # public geocoders ask for answers to be kept, not asked again


@dataclass(frozen=True)
class Candidate:
    display_name: str
    latitude: float
    longitude: float


def geocoder_url() -> str:
    return (getattr(settings, "EARFUL_GEOCODER_URL", "") or "").strip()


def search_url(base: str, query: str) -> str:
    parts = urlsplit(base)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("q", "format", "limit")]
    params += [("q", query), ("format", "jsonv2"), ("limit", str(MAX_CANDIDATES))]
    return urlunsplit(parts._replace(query=urlencode(params)))


def _candidate(place) -> Candidate | None:
    if not isinstance(place, dict):
        return None
    try:
        lat, lon = float(place["lat"]), float(place["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    name = " ".join(str(place.get("display_name") or "").split())[:300]
    return Candidate(name or f"{lat:.5f}, {lon:.5f}", lat, lon)


def find_coordinates(address: str) -> list[Candidate]:
    """Places matching `address`, best first; TourError says why there are none."""
    base = geocoder_url()
    if not base:
        raise TourError("No geocoder is set up (EARFUL_GEOCODER_URL): type the coordinates.")
    query = " ".join((address or "").split())
    if not query:
        raise TourError("Type the address first, then find its coordinates.")
    if len(query) > MAX_QUERY:
        raise TourError(f"The address is at most {MAX_QUERY} characters.")
    url = search_url(base, query)
    key = "events:geocode:" + hashlib.sha256(url.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [Candidate(*place) for place in cached]
    try:
        response = fetch(
            url,
            headers={"Accept": "application/json"},
            max_bytes=MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=2,
        )
    except FetchError as exc:
        raise TourError(
            f"The geocoder could not be reached ({exc}); type the coordinates."
        ) from exc
    if response.status != 200:
        raise TourError(
            f"The geocoder answered {response.status}; try again later or type the coordinates."
        )
    try:
        places = json.loads(response.content)
    except ValueError as exc:
        raise TourError("The geocoder's answer was not JSON; type the coordinates.") from exc
    if not isinstance(places, list):
        raise TourError("The geocoder's answer was not a list of places; type the coordinates.")
    found = [c for c in map(_candidate, places[: MAX_CANDIDATES * 2]) if c is not None]
    found = found[:MAX_CANDIDATES]
    cache.set(key, [(c.display_name, c.latitude, c.longitude) for c in found], CACHE_SECONDS)
    return found
