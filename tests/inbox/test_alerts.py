import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from earful.inbox import actions
from earful.inbox.alert_delivery import SIGNATURE_HEADER
from earful.inbox.alerts import check_rule, series
from earful.inbox.models import Alert
from earful.river import actions as river
from earful.river.models import Topic
from earful.river.pipeline.items import RawItem
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 10, 12, 5, tzinfo=UTC)  # the last complete hour is 11:00-12:00


@pytest.fixture(autouse=True)
def battery():
    """The topic the rules watch; it exists before the mentions, so they are tagged."""
    return river.add_topic("Battery", "battery")


def hours_ago(hours: float) -> datetime:
    return NOW.replace(minute=0) - timedelta(hours=hours)


def ingest_history(per_hour: int = 2, hours: int = 48, burst: int = 0, negative_burst: bool = True):
    """Quiet, mixed mentions every hour for `hours`, then `burst` more in the last hour."""
    items = []
    for hour in range(1, hours + 1):
        for n in range(per_hour):
            text = "the battery is fine" if n % 2 else "the battery is awful and I hate it"
            items.append(
                RawItem(
                    text=f"{text} {hour}-{n}",
                    external_id=f"h{hour}-{n}",
                    published_at=hours_ago(hour) + timedelta(minutes=10),
                )
            )
    for n in range(burst):
        text = "battery exploded, terrible, furious" if negative_burst else "battery is great"
        items.append(
            RawItem(
                text=f"{text} {n}",
                external_id=f"b{n}",
                published_at=hours_ago(1) + timedelta(minutes=30),
            )
        )
    river.ingest_items(river.source_for_import("social"), items)  # fmt: skip


def rule(**options):
    defaults = {"topic": Topic.objects.get(name="Battery"), "window": 24, "min_count": 5,
                "email_to": "comms@example.com"}  # fmt: skip
    defaults.update(options)
    return actions.create_alert_rule("battery watch", **defaults)


def test_series_buckets_the_last_complete_hours():
    ingest_history(per_hour=2, hours=30, burst=10)
    starts, totals, negatives = series(rule(), NOW)
    assert len(starts) == 25 and starts[-1] == hours_ago(1)
    assert totals[-1] == 12 and totals[:-1] == [2] * 24
    assert negatives[-1] == 11


def test_a_volume_spike_fires_once_with_a_signed_webhook_and_an_email(server, allow_loopback):  # noqa: F811
    server.routes["/hook"] = reply(204)
    ingest_history(burst=30)
    watch = rule(webhook_url=server.url("/hook"))

    alert = check_rule(watch, NOW)
    assert alert is not None and alert.mentions == 32 and alert.bucket_start == hours_ago(1)
    fired = actions.check_alerts(NOW)  # the same bucket: nothing new
    assert fired == [] and Alert.objects.count() == 1

    from earful.inbox.alert_delivery import deliver

    deliver(alert)
    assert alert.webhook_status == "sent: HTTP 204" and alert.email_status == "sent to 1"
    request = server.requests[-1]
    assert request.method == "POST"
    expected = "sha256=" + hmac.new(watch.webhook_secret.encode(), request.body,
                                    hashlib.sha256).hexdigest()  # fmt: skip
    assert request.headers[SIGNATURE_HEADER] == expected
    body = json.loads(request.body)
    assert body["rule"]["name"] == "battery watch" and body["mentions"] == 32
    assert mail.outbox[-1].to == ["comms@example.com"]
    assert "battery watch" in mail.outbox[-1].subject


def test_quiet_hours_and_cooldown_do_not_fire():
    ingest_history(burst=0)
    watch = rule()
    assert check_rule(watch, NOW) is None
    river.ingest_items(
        river.source_for_import("social"),
        [RawItem(text=f"battery awful {n}", external_id=f"late{n}",
                 published_at=hours_ago(1) + timedelta(minutes=40)) for n in range(40)],
    )  # fmt: skip
    watch.last_fired_at = NOW - timedelta(minutes=30)  # fired half an hour ago
    assert check_rule(watch, NOW) is None
    watch.last_fired_at = NOW - timedelta(hours=7)
    assert check_rule(watch, NOW) is not None


def test_a_negative_share_spike(allow_loopback):
    items = []
    for hour in range(1, 30):
        for n in range(10):
            text = "terrible battery, awful" if n == 0 else "nice battery, love it"
            items.append(
                RawItem(
                    text=f"{text} {hour}-{n}",
                    external_id=f"{hour}-{n}",
                    published_at=hours_ago(hour) + timedelta(minutes=5),
                )
            )
    river.ingest_items(river.source_for_import("social"), items)  # fmt: skip
    last_hour = [
        RawItem(
            text=f"awful terrible battery {n}",
            external_id=f"x{n}",
            published_at=hours_ago(1) + timedelta(minutes=20),
        )
        for n in range(15)
    ]
    river.ingest_items(river.source_for_import("social"), last_hour)  # fmt: skip
    watch = rule(metric="negative_share")
    alert = check_rule(watch, NOW)
    assert alert is not None and alert.value > 0.5


def test_a_failing_webhook_is_recorded_not_raised(server, allow_loopback):  # noqa: F811
    server.routes["/hook"] = reply(500, b"boom")
    ingest_history(burst=30)
    rule(webhook_url=server.url("/hook"), email_to="")
    fired = actions.check_alerts(NOW)
    assert fired[0].webhook_status == "refused: HTTP 500"
    assert Alert.objects.get().webhook_status == "refused: HTTP 500"


def test_webhooks_to_private_addresses_are_refused_by_the_guard():
    ingest_history(burst=30)
    rule(webhook_url="http://127.0.0.1:9/hook", email_to="")
    fired = actions.check_alerts(NOW)
    assert fired[0].webhook_status.startswith("failed:")
    assert "refused" in fired[0].webhook_status or "loopback" in fired[0].webhook_status


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"email_to": "", "webhook_url": ""}, "say where"),
        ({"email_to": "not-an-address"}, "not an e-mail"),
        ({"webhook_url": "ftp://x.example/"}, "not an http"),
        ({"query": 'battery AND ("'}, "invalid query"),
        ({"metric": "vibes"}, "metric"),
        ({"window": 1}, "window"),
        ({"sigmas": 0}, "sigmas"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(options, message):
    with pytest.raises(ValueError, match=message):
        rule(**options)


def test_alerts_command_adds_checks_and_lists(allow_loopback):
    out = StringIO()
    call_command("alerts", "add", "watch", "--topic", "Battery", "--email", "a@example.com",
                 stdout=out)  # fmt: skip
    call_command("alerts", "check", stdout=out)
    call_command("alerts", "list", stdout=out)
    text = out.getvalue()
    assert "added alert rule 'watch'" in text and "checked=1 fired=0" in text and "watch" in text
    with pytest.raises(CommandError, match="no topic"):
        call_command("alerts", "add", "x", "--topic", "Nope", "--email", "a@example.com")
