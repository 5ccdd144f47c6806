"""The responder's day in a real browser: open the inbox, take an item, assign it, correct
its sentiment; then a spike alert created in the console reaches a local webhook."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.inbox import actions as inbox
from earful.inbox.models import Triage
from earful.river import actions as river
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

PASSWORD = "a long enough password"


def person(django_user_model, name: str, *roles: str):
    user = django_user_model.objects.create_user(name, password=PASSWORD)
    set_roles(user, list(roles))
    return user


def log_in(page, username: str) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")


def test_assign_and_correct_from_the_inbox(page, django_user_model, browser_errors):
    person(django_user_model, "rae", "responder")
    river.ingest_items(
        river.source_for_import("social"),
        [RawItem(text="Why does my Strata 7 battery die by noon?", external_id="q1",
                 url="https://social.example/q1", author="ann")],
    )  # fmt: skip
    log_in(page, "rae")
    page.click("nav >> text=Inbox")
    row = page.locator(".queue-row").first
    expect(row).to_contain_text("battery die by noon")
    page.keyboard.press("o")  # keyboard: open the focused item
    expect(page.locator("[data-testid=triage]")).to_contain_text("question")

    page.select_option("[data-testid=assign-select]", label="rae")
    with page.expect_navigation():
        page.click("button:has-text('Assign')")
    expect(page.locator("[data-testid=assignee]")).to_have_text("rae")
    expect(page.locator("[data-testid=status]")).to_have_text("open")

    machine = Mention.objects.get(external_id="q1").sentiment
    person_says = "neutral" if machine != "neutral" else "negative"
    page.select_option("[data-testid=sentiment-select]", person_says)
    with page.expect_navigation():
        page.click("button:has-text('Correct')")
    expect(page.locator(".messages")).to_contain_text("Sentiment corrected")
    mention = Mention.objects.get(external_id="q1")
    assert mention.sentiment == person_says
    assert Triage.objects.get(mention=mention).assignee.username == "rae"
    assert browser_errors == []


@pytest.mark.usefixtures("allow_loopback")
def test_a_spike_alert_made_in_the_console_reaches_a_webhook(
    page,
    django_user_model,
    server,  # noqa: F811
):
    server.routes["/earful"] = reply(200, b"ok")
    person(django_user_model, "lee", "listener")
    river.add_topic("Battery", "battery")
    now = datetime.now(UTC)
    last_hour = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    items = [
        RawItem(
            text=f"battery fine {h}",
            external_id=f"h{h}",
            published_at=last_hour - timedelta(hours=h) + timedelta(minutes=5),
        )
        for h in range(1, 30)
    ]
    items += [
        RawItem(
            text=f"battery on fire {n}",
            external_id=f"b{n}",
            published_at=last_hour + timedelta(minutes=20),
        )
        for n in range(25)
    ]
    river.ingest_items(river.source_for_import("social"), items)  # fmt: skip

    log_in(page, "lee")
    page.click("nav >> text=Alerts")
    page.fill("input[name=name]", "battery fires")
    page.select_option("select[name=topic]", label="Battery")
    page.fill("input[name=window]", "24")
    page.fill("input[name=min_count]", "5")
    page.fill("input[name=webhook_url]", server.url("/earful"))
    with page.expect_navigation():
        page.click("button:has-text('Create')")
    secret = page.locator("[data-testid=secret] code").first.inner_text()

    fired = inbox.check_alerts()
    assert len(fired) == 1

    page.reload()
    expect(page.locator("[data-testid=fired]")).to_contain_text(re.compile("sent: HTTP 200"))
    hook = server.requests[-1]
    assert json.loads(hook.body)["rule"]["name"] == "battery fires"
    import hashlib
    import hmac

    signature = hmac.new(secret.encode(), hook.body, hashlib.sha256).hexdigest()
    assert hook.headers["X-Earful-Signature"] == f"sha256={signature}"
