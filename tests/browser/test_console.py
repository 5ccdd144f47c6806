"""The console in a real browser: log in, the dashboard's charts drawn with data, search,
open a mention."""

import re

import pytest
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.river.demo.seeding import seed_demo
from earful.river.models import Mention

CONSOLE_LOGIN = "/console/login"
PASSWORD = "a long enough password"


@pytest.fixture
def listener(django_user_model):
    user = django_user_model.objects.create_user("lee", password=PASSWORD)
    set_roles(user, ["listener"])
    return user


@pytest.fixture
def river():
    seed_demo(400, 7)
    return Mention.objects.count()


def log_in(page, username: str) -> None:
    page.goto(CONSOLE_LOGIN)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")


def test_dashboard_draws_its_charts_with_data(page, listener, river, browser_errors):
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/login\?next=/console/"))
    log_in(page, "lee")

    expect(page.locator("h1")).to_contain_text("What people say")
    # Plotly marks each chart it drew; the volume chart has one trace per sentiment.
    volume = page.locator("#chart-volume")
    expect(volume).to_have_attribute("data-drawn", re.compile(r"[34]"))
    expect(page.locator("#chart-net")).to_have_attribute("data-drawn", "1")
    expect(page.locator("#chart-share")).to_have_attribute("data-drawn", "3")
    points = page.evaluate(
        "() => document.getElementById('chart-volume').data"
        ".slice(0, 3).map(t => t.y.reduce((a, b) => a + b, 0))"
    )
    assert sum(points) > 0
    assert int(page.locator("[data-kpi=total]").inner_text().replace(",", "")) == sum(points)
    # Hovering shows the day's numbers.
    box = volume.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    expect(volume.locator(".hoverlayer")).to_contain_text(re.compile("positive|negative"))
    # Filtering by sentiment redraws everything for that sentiment only.
    page.select_option("select[name=sentiment]", "negative")
    with page.expect_navigation():
        page.click("button:has-text('Apply')")
    expect(page.locator(".kpi .big.positive")).to_have_text("0")
    assert browser_errors == []


def test_search_then_open_a_mention(page, listener, river, browser_errors):
    log_in(page, "lee")
    page.click("nav >> text=Search")
    page.fill("input[name=q]", "battery")
    with page.expect_navigation():
        page.click("button:has-text('Search')")
    first = page.locator(".result").first
    expect(first.locator("mark").first).to_have_text(re.compile("battery", re.IGNORECASE))
    with page.expect_navigation():
        first.locator("text=Open").click()
    # The search matches a mention's title or its text: the page shows both.
    expect(page.locator("[data-testid=mention]")).to_contain_text(
        re.compile("battery", re.IGNORECASE)
    )
    expect(page.locator("[data-testid=author-card]")).to_be_visible()
    assert browser_errors == []
