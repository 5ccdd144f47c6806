"""Tours in a real browser: the tour map draws one marker per located stop, coloured by
phase, whose popups lead to the stop pages; a visitor at a live stop leaves feedback and a
listener finds it in the console's search as a "Tours" mention; a live update posted by
staff shows on the stop page after a reload."""

import base64
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.events.actions.live import post_live_update
from earful.events.actions.tours import cancel_stop, create_tour, save_stop, update_tour
from earful.events.models import Feedback

PASSWORD = "a long enough password"
TILES = "https://tiles.earful.test/{z}/{x}/{y}.png"
# A 1x1 grey PNG: every map tile, so the test needs no network.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN8+P9/PQAJYwPJ1Y9n1wAAAABJRU5ErkJggg=="
)


@pytest.fixture
def tiles(page, settings, live_server):
    settings.EARFUL_TILE_URL = TILES
    settings.EARFUL_TILE_ATTRIBUTION = "Test tiles"
    settings.EARFUL_SITE_URL = live_server.url
    page.route(
        "https://tiles.earful.test/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG),
    )
    return page


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, *roles: str):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        set_roles(user, list(roles))
        return user

    return make


@pytest.fixture
def tour_stops(make_user):
    """A published tour: a past, a live, an upcoming and a cancelled stop on the map, and a
    pop-up van without coordinates."""
    staff = make_user("maya", "author")
    tour = update_tour(create_tour(staff, title="Arc roadshow"), staff, published=True)
    now = timezone.now()

    def add(venue: str, starts, lat=None, lon=None, city="Berlin"):
        return save_stop(
            tour, staff, venue=venue, address="Main St 1", city=city,
            time_zone_name="Europe/Berlin", starts_at=starts, ends_at=starts + timedelta(hours=6),
            latitude=lat, longitude=lon,
        )  # fmt: skip

    stops = {
        "past": add("Old Town Store", now - timedelta(days=3), 52.52, 13.40),
        "live": add("Harbour Store", now - timedelta(hours=1), 53.55, 9.99, city="Hamburg"),
        "upcoming": add("Isar Store", now + timedelta(days=2), 48.14, 11.58, city="Munich"),
        "cancelled": add("Rhine Store", now + timedelta(days=4), 50.94, 6.96, city="Cologne"),
        "van": add("Pop-up Van", now + timedelta(days=6)),
    }
    cancel_stop(stops["cancelled"], staff)
    return tour, stops, staff


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return errors


def test_the_tour_map_has_a_marker_per_located_stop_leading_to_its_page(tiles, tour_stops):
    page = tiles
    tour, stops, _ = tour_stops
    errors = errors_of(page)

    page.goto(tour.get_absolute_url())

    markers = page.locator("#tour-map .leaflet-marker-icon")
    expect(markers).to_have_count(4)  # the van has no coordinates
    expect(page.locator("#tour-map")).to_have_attribute("data-markers", "4")
    for phase in ("past", "live", "upcoming", "cancelled"):
        expect(page.locator(f"#tour-map .stop-marker.phase-{phase}")).to_have_count(1)
    expect(page.locator("#tour-map .stop-marker.next")).to_have_attribute(
        "title", re.compile("Isar Store")
    )
    # The map fits all four: every marker is inside the map's box.
    box = page.locator("#tour-map").bounding_box()
    for index in range(4):
        marker = markers.nth(index).bounding_box()
        assert box["x"] <= marker["x"] <= box["x"] + box["width"]
        assert box["y"] <= marker["y"] <= box["y"] + box["height"]
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")
    # The list has every stop, the van too, and the live banner.
    expect(page.locator(".stop-row")).to_have_count(5)
    expect(page.locator(".live-banner")).to_contain_text("Harbour Store")

    page.locator("#tour-map .stop-marker.phase-live").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Harbour Store")
    expect(popup).to_contain_text("Live now")
    with page.expect_navigation():
        popup.get_by_role("link", name="Harbour Store").click()
    expect(page).to_have_url(re.compile(re.escape(stops["live"].get_absolute_url()) + "$"))
    expect(page.locator("#stop-map .leaflet-marker-icon")).to_have_count(1)
    assert errors == []


def test_two_stops_at_one_venue_each_get_a_clickable_marker(tiles, make_user):
    page = tiles
    staff = make_user("maya", "author")
    tour = update_tour(create_tour(staff, title="Encore"), staff, published=True)
    now = timezone.now()
    for days, description in ((1, "first visit"), (8, "second visit")):
        save_stop(
            tour, staff, venue="Arc Store Mitte", address="Main St 1", city="Berlin",
            time_zone_name="Europe/Berlin", starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=6), latitude=52.52, longitude=13.40,
            description=description,
        )  # fmt: skip

    page.goto(tour.get_absolute_url())

    markers = page.locator("#tour-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    first, second = markers.nth(0).bounding_box(), markers.nth(1).bounding_box()
    assert abs(first["x"] - second["x"]) >= 10  # side by side, not one on the other
    markers.nth(1).click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Arc Store Mitte")


def test_feedback_from_a_live_stop_reaches_the_console_search(tiles, tour_stops, make_user):
    page = tiles
    tour, stops, _ = tour_stops
    make_user("lee", "listener")
    errors = errors_of(page)

    page.goto(stops["live"].get_absolute_url())
    expect(page.locator(".phase-tag")).to_have_text("Live now")
    page.get_by_label("Your feedback").fill("The zeppelin camera demo was wonderful, thank you")
    page.get_by_role("radio", name="5 of 5").check()
    page.get_by_label("Name").fill("Jo")
    with page.expect_navigation():
        page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#feedback .messages")).to_contain_text("Thank you")
    assert Feedback.objects.get().rating == 5

    page.goto("/console/login")
    page.fill("input[name=username]", "lee")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")
    page.goto("/console/search?q=zeppelin")
    result = page.locator(".result")
    expect(result).to_have_count(1)
    expect(result.locator(".meta")).to_contain_text("Tours")
    expect(result).to_contain_text("Feedback on Arc roadshow at Harbour Store (5/5)")
    assert errors == []


def test_a_live_update_shows_on_the_stop_page_after_a_reload(tiles, tour_stops):
    page = tiles
    _, stops, staff = tour_stops
    page.goto(stops["live"].get_absolute_url())
    expect(page.locator(".update")).to_have_count(0)

    png = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(png, "PNG")
    photo = SimpleUploadedFile("stand.png", png.getvalue(), content_type="image/png")
    update = post_live_update(
        stops["live"], staff, text="Doors open: **queue** round the block", photo=photo,
        photo_alt="Our stand in the harbour",
    )  # fmt: skip
    page.reload()

    shown = page.locator(f"#update-{update.pk}")
    expect(shown).to_contain_text("Doors open: queue round the block")
    expect(shown.locator("strong")).to_have_text("queue")
    image = shown.get_by_role("img", name="Our stand in the harbour")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_without_javascript_the_list_and_the_form_still_work(browser, live_server, tour_stops):
    tour, stops, _ = tour_stops
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(tour.get_absolute_url())
        expect(page.locator("#tour-map")).to_be_hidden()  # no empty map box
        expect(page.locator(".stop-row")).to_have_count(5)
        with page.expect_navigation():
            page.get_by_role("link", name="Harbour Store").last.click()
        page.get_by_label("Your feedback").fill("Worked fine with scripts off")
        with page.expect_navigation():
            page.get_by_role("button", name="Send feedback").click()
        expect(page.locator("#feedback .messages")).to_contain_text("Thank you")
    finally:
        context.close()
    assert Feedback.objects.get().stop == stops["live"]
