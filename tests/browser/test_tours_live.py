"""Live on the day in a real browser, on a phone-sized screen: staff open the live page,
the stop that is live now is already chosen, they post text and a photo from the camera
input, and the update appears on the public stop page with its photo."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.events.actions.tours import create_tour, save_stop, update_tour
from earful.events.models import LiveUpdate

PASSWORD = "a long enough password"
BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
PHONE = {"width": 390, "height": 844}
UPDATE = "Lisbon is here! The queue for the night-camera demo reaches the river."


@pytest.fixture
def live_stop(transactional_db, settings, tmp_path):
    from django.contrib.auth.models import Group

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EARFUL_TILE_URL = BLANK_TILE  # no tile server from the test machine
    if not Group.objects.filter(name="author").exists():
        from earful.accounts.actions import ensure_roles

        ensure_roles()  # the live server's transactional tests flush the roles migrate made
    maya = get_user_model().objects.create_user("maya", password=PASSWORD)
    set_roles(maya, ["author"])
    maya = get_user_model().objects.get(pk=maya.pk)
    tour = create_tour(maya, title="40 stores in 40 days")
    update_tour(tour, maya, published=True)
    now = timezone.now()
    save_stop(
        tour, maya, venue="Halvora Store Porto", address="Rua de Santa Catarina 112",
        city="Porto", time_zone_name="Europe/Lisbon", starts_at=now + timedelta(hours=5),
        ends_at=now + timedelta(hours=9), latitude=41.1485, longitude=-8.606,
    )  # fmt: skip
    return save_stop(
        tour, maya, venue="Halvora Store Lisbon", address="Rua Augusta 100", city="Lisbon",
        time_zone_name="Europe/Lisbon", starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=6), latitude=38.7101, longitude=-9.1373,
    )  # fmt: skip


def photo_file(tmp_path):
    path = tmp_path / "stand.jpg"
    image = Image.new("RGB", (800, 600), (30, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_post_a_live_update_that_appears_on_the_stop_page(
    browser, live_server, live_stop, tmp_path
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    try:
        page.goto("/console/login?next=/console/tours/live")
        page.fill("input[name=username]", "maya")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("[type=submit]")
        expect(page).to_have_url(re.compile(r"/console/tours/live$"))

        card = page.locator("#live-stop")
        expect(card).to_have_attribute("data-stop", str(live_stop.pk))
        expect(card.locator("h2")).to_have_text("Halvora Store Lisbon, Lisbon")
        post = page.get_by_role("button", name="Post the update")
        box = post.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300  # thumb-sized
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.fill("textarea[name=text]", UPDATE)
        page.set_input_files("input[name=photo]", photo_file(tmp_path))
        page.fill("input[name=photo_alt]", "A long queue outside the Lisbon store")
        with page.expect_navigation():
            post.click()
        expect(page.locator(".messages")).to_contain_text("it is on the stop's page now")
        expect(page.locator("#updates")).to_contain_text(UPDATE)

        update = LiveUpdate.objects.get(stop=live_stop)
        page.goto(live_stop.get_absolute_url())
        shown = page.locator(f"#update-{update.pk}")
        expect(shown).to_contain_text(UPDATE)
        image = shown.locator("img")
        expect(image).to_have_attribute("alt", "A long queue outside the Lisbon store")
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert errors == []
    finally:
        context.close()
