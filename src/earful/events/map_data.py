"""What the tour map draws, embedded in the page with json_script (no extra request): the
tile server from settings and one marker per stop that has coordinates."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# What json_script escapes, done with str.replace: its str.translate over a 100-stop map
# took 3.5 of the tour page's 20 ms. Non-ASCII is escaped by json.dumps itself.
_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))

PHASE_LABELS = {
    "live": "Live now",
    "upcoming": "Upcoming",
    "past": "Past",
    "cancelled": "Cancelled",
}


def stop_marker(stop, phase: str, when: str, url: str, *, is_next: bool = False) -> dict | None:
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
        "url": url,
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


def map_script(config: dict, element_id: str) -> SafeString:
    """<script type="application/json"> holding the map's data, safe inside HTML."""
    text = json.dumps(config, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
