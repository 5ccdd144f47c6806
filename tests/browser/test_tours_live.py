"""Live on the day in a real browser, on a phone-sized screen: staff open the live page,
the stop that is live now is already chosen, they post text and a photo from the camera
input, and the update appears with its photo on the public stop page a visitor has open,
without a reload; later updates take their place above it and a deleted one goes away.

The visitor's page polls every ~20 s: Playwright's clock runs its timers forward instead
of the test waiting (the requests themselves are real)."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.events.actions.live import delete_live_update, post_live_update
from earful.events.actions.tours import create_tour, save_stop, update_tour
from earful.events.models import Channel, LiveUpdate
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

PASSWORD = "a long enough password"
BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
PHONE = {"width": 390, "height": 844}
UPDATE = "Lisbon is here! The queue for the night-camera demo reaches the river."
LATER = "Second hour: the <b>night-camera</b> demo moves outside."
POLL = 25_000  # past the page's 20 s poll and its jitter


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


def test_staff_post_a_live_update_that_appears_on_the_open_stop_page(
    browser, live_server, live_stop, tmp_path
):
    errors: list[str] = []

    def watch(page):
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
        return page

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    visitors = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    visitors.set_default_timeout(10_000)
    page = watch(context.new_page())
    visitor = watch(visitors.new_page())
    try:
        # A visitor opens the stop page before anything is posted, and keeps it open.
        visitor.clock.install()
        visitor.goto(live_stop.get_absolute_url())
        updates = visitor.locator("#updates")
        expect(updates.locator(".none")).to_be_visible()
        visitor.evaluate("window.sameDocument = true")  # gone if the page reloads

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

        # The visitor's page asks on its own, and the update with its photo appears.
        update = LiveUpdate.objects.get(stop=live_stop)
        visitor.clock.fast_forward(POLL)
        shown = visitor.locator(f"#update-{update.pk}")
        expect(shown).to_contain_text(UPDATE)
        expect(updates.locator(".none")).to_be_hidden()
        expect(visitor.locator("[data-live-status]")).to_contain_text(UPDATE)
        expect(visitor.locator("[data-live-status]")).to_have_attribute("aria-live", "polite")
        image = shown.locator("img")
        expect(image).to_have_attribute("alt", "A long queue outside the Lisbon store")
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0

        # A later update goes above it, its text as text; a deleted one goes away.
        later = post_live_update(live_stop, update.author, text=LATER)
        visitor.clock.fast_forward(POLL)
        expect(visitor.locator(f"#update-{later.pk}")).to_contain_text(LATER)
        ids = visitor.locator("#updates article.update").evaluate_all("all => all.map(a => a.id)")
        assert ids == [f"update-{later.pk}", f"update-{update.pk}"]
        assert visitor.locator(f"#update-{later.pk} b").count() == 0
        later_id = later.pk
        delete_live_update(later, update.author)
        visitor.clock.fast_forward(POLL)
        expect(visitor.locator(f"#update-{later_id}")).to_have_count(0)
        expect(shown).to_be_visible()
        assert visitor.evaluate("window.sameDocument") is True  # never reloaded
        assert errors == []

        # Without JavaScript the page is complete as rendered.
        plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        try:
            reader = plain.new_page()
            reader.goto(live_stop.get_absolute_url())
            expect(reader.locator(f"#update-{update.pk}")).to_contain_text(UPDATE)
            expect(reader.locator("#updates article.update")).to_have_count(1)
        finally:
            plain.close()
    finally:
        visitors.close()
        context.close()


def test_find_coordinates_and_count_an_announcement(
    browser,
    live_server,
    live_stop,
    settings,
    server,  # noqa: F811
):
    settings.EARFUL_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.EARFUL_GEOCODER_URL = server.url("/search")
    body = json.dumps(
        [
            {"display_name": "Rua Augusta 100, Lisboa", "lat": "38.7101", "lon": "-9.1373"},
            {"display_name": "Rua Augusta, Porto", "lat": "41.15", "lon": "-8.61"},
        ]
    ).encode()
    server.routes["/search"] = reply(200, body, {"Content-Type": "application/json"})
    channel = Channel.objects.create(
        name="Mastodon", kind="mastodon", config={"instance": "https://m.example", "token": "t"}
    )
    update_tour(live_stop.tour, live_stop.tour.created_by, channels=[channel])
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    try:
        slug = live_stop.tour.slug
        page.goto(f"/console/login?next=/console/tours/{slug}/stops/new")
        page.fill("input[name=username]", "maya")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("[type=submit]")
        page.fill("input[name=venue]", "Halvora Store Baixa")
        page.fill("input[name=address]", "Rua Augusta 100")
        page.fill("input[name=city]", "Lisbon")
        page.click("#find-coordinates")
        expect(page.locator("input[name=latitude]")).to_have_value("38.710100")
        expect(page.locator("input[name=longitude]")).to_have_value("-9.137300")
        page.get_by_role("button", name="Rua Augusta, Porto").click()
        expect(page.locator("input[name=latitude]")).to_have_value("41.150000")
        assert "q=Rua+Augusta+100%2C+Lisbon" in server.requests[-1].path

        page.goto(f"/console/tours/{slug}/announcements")
        area = page.locator("textarea[data-kind=mastodon]").first
        area.fill("x" * 480 + " https://example.com/" + "a" * 60)
        counter = page.locator(".count").first
        expect(counter).to_have_text("504 / 500 (links count as 23)")
        expect(counter).to_have_class(re.compile("negative"))
        assert errors == []
    finally:
        context.close()


def answer_json(follow: bool) -> str:
    return json.dumps({"follow": follow, "ids": [], "updates": [], "cursor": 0, "more": False})


def set_visibility(page, state: str) -> None:
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_the_open_page_backs_off_on_errors_and_hidden_tabs_and_stops_when_over(
    page, live_server, live_stop, browser_errors
):
    asked: list[str] = []
    answers = {"status": 500, "body": "{}"}

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(
            status=answers["status"], body=answers["body"], content_type="application/json"
        )

    def after(milliseconds: int) -> int:
        page.clock.fast_forward(milliseconds)
        page.wait_for_timeout(300)  # the driver's clock, not the page's: the fetch lands
        return len(asked)

    page.route("**/updates.json*", answer)
    page.clock.install()
    page.goto(live_stop.get_absolute_url())
    expect(page.locator("#updates")).to_have_attribute("data-cursor", "0")

    assert after(POLL) == 1 and asked[0].endswith("?after=0")  # the server fails
    assert after(POLL) == 1  # so the next try waits 40 s or more, not 20
    assert after(POLL) == 2

    # A hidden tab asks less and less often; showing it again asks at once.
    answers.update(status=200, body=answer_json(True))
    set_visibility(page, "hidden")
    assert after(100_000) == 3  # the errors' 80 s backoff ends; the answer is fine
    assert after(50_000) == 4  # hidden: 40 s
    assert after(50_000) == 4  # then 80 s
    set_visibility(page, "visible")
    assert after(1_000) == 5

    # The stop is over: the answer says so and the page stops asking.
    answers.update(body=answer_json(False))
    assert after(POLL) == 6
    assert after(10 * 60 * 1000) == 6
    # The browser logs the two 500s itself; the script throws nothing.
    assert [e for e in browser_errors if "status of 500" not in e] == []
