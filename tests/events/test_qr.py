"""Printable QR signs for a stop: the code points at the stop's feedback form on the public
site, drawn as inline SVG."""

import re

import pytest
import qrcode
import qrcode.constants
from defusedxml import ElementTree

from earful.events.actions.tours import create_tour, update_tour

SVG = "{http://www.w3.org/2000/svg}"


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark squares the SVG draws: each is one "M x,y H.. V.. H.. z" run of its path."""
    root = ElementTree.fromstring(svg)
    (path,) = root.iter(f"{SVG}path")
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)", path.get("d"))}


def modules_encoding(text: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    return {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}


@pytest.fixture
def site(settings):
    settings.EARFUL_SITE_URL = "https://earful.example.com"
    return settings.EARFUL_SITE_URL


def test_the_svg_encodes_the_absolute_feedback_address(stop, site, client):
    response = client.get(f"{stop.get_absolute_url()}qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    target = f"{site}{stop.get_absolute_url()}#feedback"
    drawn = dark_modules(response.content.decode())
    assert drawn == modules_encoding(target)
    assert drawn != modules_encoding(f"http://127.0.0.1:8000{stop.get_absolute_url()}#feedback")


def test_the_printable_sign_has_the_code_inline_venue_and_call_to_action(stop, site, client):
    response = client.get(f"{stop.get_absolute_url()}qr")

    html = response.content.decode()
    assert response.status_code == 200
    inline = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert dark_modules(inline) == modules_encoding(f"{site}{stop.get_absolute_url()}#feedback")
    assert "<img" not in html  # no raster image: the code is vector and prints sharp
    assert "Arc Store Mitte" in html and "Rosenthaler Str. 1, Berlin" in html
    assert "How was your visit?" in html and "Scan the code" in html
    assert f"{site}{stop.get_absolute_url()}#feedback" in html  # typed by hand if need be
    assert "qr-sign.css" in html
    assert "public" in response["Cache-Control"]


def test_the_print_stylesheet_hides_the_screen_notes(client, db):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("events/qr-sign.css")).read_text(encoding="utf-8")
    assert "@media print" in css and ".screen-only { display: none; }" in css
    assert "@page" in css


def test_the_stop_page_has_the_anchor_the_code_points_to(stop, client):
    html = client.get(stop.get_absolute_url()).content.decode()

    assert 'id="feedback"' in html


def test_qr_codes_of_unknown_or_hidden_stops_are_not_found(tour, tour_staff, stop, client):
    other = update_tour(create_tour(tour_staff, title="Other"), tour_staff, published=True)

    assert client.get(f"/tours/{tour.slug}/stops/424242/qr").status_code == 404
    assert client.get(f"/tours/{other.slug}/stops/{stop.pk}/qr.svg").status_code == 404
    update_tour(tour, tour_staff, published=False)
    assert client.get(f"{stop.get_absolute_url()}qr").status_code == 404
    assert client.get(f"{stop.get_absolute_url()}qr.svg").status_code == 404


def test_staff_find_the_printable_sign_from_the_stop_page(stop, tour_staff, client):
    sign = f"{stop.get_absolute_url()}qr"
    assert sign not in client.get(stop.get_absolute_url()).content.decode()

    client.force_login(tour_staff)

    assert sign in client.get(stop.get_absolute_url()).content.decode()
