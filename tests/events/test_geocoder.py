"""The optional geocoder against a local Nominatim-shaped server: candidates, the query it
receives, and every way it can fail (none set up, errors, junk, size, time)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from earful.events.errors import TourError
from earful.events.geocoder import Candidate, find_coordinates
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture


def json_reply(data, status: int = 200):
    return reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def geocoder(allow_loopback, server, settings):  # noqa: F811
    settings.EARFUL_GEOCODER_URL = server.url("/search?countrycodes=de")
    return server


BERLIN = [
    {"display_name": "Rosenthaler Straße 1, Mitte, Berlin", "lat": "52.5291", "lon": "13.4019"},
    {"display_name": "Rosenthaler Straße 1, Hamburg", "lat": "53.55", "lon": "9.99"},
    {"display_name": "broken", "lat": "north", "lon": "13"},
    {"display_name": "off the globe", "lat": "95", "lon": "13"},
]


def test_candidates_come_back_best_first(geocoder):
    geocoder.routes["/search"] = json_reply(BERLIN)
    found = find_coordinates("  Rosenthaler Str. 1,\n Berlin ")
    assert found == [
        Candidate("Rosenthaler Straße 1, Mitte, Berlin", 52.5291, 13.4019),
        Candidate("Rosenthaler Straße 1, Hamburg", 53.55, 9.99),
    ]
    query = parse_qs(urlsplit(geocoder.requests[-1].path).query)
    assert query["q"] == ["Rosenthaler Str. 1, Berlin"]
    assert query["format"] == ["jsonv2"]
    assert query["countrycodes"] == ["de"]  # the configured URL's own parameters stay


def test_nothing_found_is_an_empty_list(geocoder):
    geocoder.routes["/search"] = json_reply([])
    assert find_coordinates("Nowhere 0") == []


def test_without_a_geocoder_staff_type_coordinates(settings):
    settings.EARFUL_GEOCODER_URL = ""
    with pytest.raises(TourError, match="type the coordinates"):
        find_coordinates("Rosenthaler Str. 1")


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (json_reply({"error": "busy"}, 503), "answered 503"),
        (reply(200, b"<html>not json</html>"), "not JSON"),
        (json_reply({"places": []}), "not a list"),
        (reply(200, b"[" + b'{"lat":"1","lon":"2"},' * 40_000 + b"{}]"), "could not be reached"),
    ],
)
def test_a_broken_geocoder_is_explained(geocoder, route, message):
    geocoder.routes["/search"] = route
    with pytest.raises(TourError, match=message):
        find_coordinates("Rosenthaler Str. 1")


def test_a_slow_geocoder_times_out(geocoder, monkeypatch):
    monkeypatch.setattr("earful.events.geocoder.TIMEOUT", 0.5)

    def slow(handler):
        time.sleep(1.5)
        json_reply(BERLIN)(handler)

    geocoder.routes["/search"] = slow
    with pytest.raises(TourError, match="could not be reached"):
        find_coordinates("Rosenthaler Str. 1")


def test_a_private_geocoder_is_refused_unless_allowed(server, settings):  # noqa: F811
    settings.EARFUL_ALLOW_NETWORKS = []
    settings.EARFUL_GEOCODER_URL = server.url("/search")
    with pytest.raises(TourError, match="loopback"):
        find_coordinates("Rosenthaler Str. 1")
    assert server.requests == []


def test_an_empty_address_is_not_sent(geocoder):
    with pytest.raises(TourError, match="address first"):
        find_coordinates("   ")
    assert geocoder.requests == []


def test_an_answer_is_kept_and_not_asked_again(geocoder):
    geocoder.routes["/search"] = json_reply(BERLIN)
    first = find_coordinates("Rosenthaler Str. 1, Berlin")
    assert find_coordinates("Rosenthaler  Str. 1,  Berlin") == first
    assert len(geocoder.requests) == 1
    find_coordinates("Rosenthaler Str. 2, Berlin")
    assert len(geocoder.requests) == 2
