"""What the tour map draws, embedded in the page with json_script (no extra request): the
tile server from settings and one marker per stop that has coordinates."""

from __future__ import annotations

from django.conf import settings

PHASE_LABELS = {
    "live": "Live now",
    "upcoming": "Upcoming",
    "past": "Past",
    "cancelled": "Cancelled",
}


def stop_marker(stop, phase: str, when: str, *, is_next: bool = False) -> dict | None:
    """The marker of one stop, or None for a stop without coordinates (listed, not drawn)."""
    if stop.latitude is None or stop.longitude is None:
        return None
    return {
        "id": stop.pk,
        "venue": stop.venue,
        "place": stop.city or stop.address,
        "lat": stop.latitude,
        "lon": stop.longitude,
        "phase": phase,
        "phase_label": PHASE_LABELS[phase],
        "next": is_next,
        "when": when,
        "url": stop.get_absolute_url(),
    }


def map_config(markers: list[dict], *, zoom: int = 14) -> dict:
    """Everything the map script needs. The attribution is the operator's HTML setting
    (it usually holds "&copy;" and a link); Leaflet shows it as HTML."""
    return {
        "tiles": settings.EARFUL_TILE_URL,
        "attribution": settings.EARFUL_TILE_ATTRIBUTION,
        "zoom": zoom,
        "stops": markers,
    }
