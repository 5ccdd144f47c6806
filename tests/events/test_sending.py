"""Sending announcements against local servers that speak Mastodon's, Bluesky's and a
webhook receiver's shapes: what they receive, what is logged, retries and back-off,
permanent refusals, idempotency, and two workers claiming one announcement."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command

from earful.events.actions.tours import update_tour
from earful.events.errors import TourError
from earful.events.models import Announcement, AnnouncementAttempt, Channel
from earful.events.sending import (
    MAX_ATTEMPTS,
    claim,
    grapheme_count,
    link_facets,
    mastodon_length,
    retry_delay,
    send_due_announcements,
    send_now,
)
from earful.events.tasks import enqueue_events_work
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.django_db


def json_reply(data, status: int = 200):
    return reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def local(allow_loopback, server, settings):  # noqa: F811
    settings.EARFUL_SITE_URL = "https://earful.example"
    return server


def only_channel(tour, user, kind: str, config: dict) -> Channel:
    channel = Channel.objects.create(name=f"Local {kind}", kind=kind, config=config)
    update_tour(tour, user, channels=[channel])
    return channel


def due_time(stop):
    announcement = stop.announcements.get(state="scheduled")
    return announcement, announcement.send_at + timedelta(minutes=1)


@pytest.fixture
def mastodon(local, tour, tour_staff):
    only_channel(tour, tour_staff, "mastodon", {"instance": local.url("/")[:-1], "token": "tok-1"})
    return local


def test_mastodon_gets_the_status_with_token_and_idempotency_key(mastodon, stop):
    mastodon.routes["/api/v1/statuses"] = json_reply(
        {"id": "1", "url": "https://m.example/@tours/1", "uri": "https://m.example/s/1"}
    )
    announcement, now = due_time(stop)

    tried = send_due_announcements(now)

    assert [a.pk for a in tried] == [announcement.pk]
    request = mastodon.requests[-1]
    assert request.method == "POST"
    assert request.headers["Authorization"] == "Bearer tok-1"
    assert request.headers["Idempotency-Key"] == f"earful-announcement-{announcement.pk}"
    body = json.loads(request.body)
    assert body["status"] == announcement.text
    assert "Arc Store Mitte" in body["status"]
    assert f"https://earful.example/tours/{stop.tour.slug}/stops/{stop.pk}/" in body["status"]
    announcement.refresh_from_db()
    assert announcement.state == "sent"
    assert announcement.sent_at == now
    assert announcement.remote_url == "https://m.example/@tours/1"
    log = list(announcement.attempt_log.all())
    assert [(a.ok, a.status_code) for a in log] == [(True, 200)]
    assert send_due_announcements(now + timedelta(hours=1)) == []  # sent once, ever
    assert len(mastodon.requests) == 1


def test_a_server_error_is_retried_with_growing_back_off_then_given_up(mastodon, stop):
    mastodon.routes["/api/v1/statuses"] = json_reply({"error": "overloaded"}, 503)
    announcement, now = due_time(stop)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert len(send_due_announcements(now)) == 1
        announcement.refresh_from_db()
        assert announcement.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert announcement.state == "failed"
            assert "503" in announcement.last_error and "overloaded" in announcement.last_error
            waits.append(announcement.next_attempt_at - now)
            assert send_due_announcements(now + waits[-1] - timedelta(seconds=1)) == []
            now = announcement.next_attempt_at
    assert announcement.state == "gave_up"
    assert "Gave up after 6 attempts" in announcement.last_error
    assert waits == [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits[0] == timedelta(minutes=5)
    assert all(a < b for a, b in zip(waits, waits[1:], strict=False))
    assert max(waits) <= timedelta(hours=6)
    assert retry_delay(20) == timedelta(hours=6)
    assert [a.status_code for a in announcement.attempt_log.all()] == [503] * MAX_ATTEMPTS
    assert send_due_announcements(now + timedelta(days=1)) == []


@pytest.mark.parametrize(("status", "state"), [(408, "failed"), (429, "failed"), (500, "failed")])
def test_timeouts_and_rate_limits_are_retried(mastodon, stop, status, state):
    mastodon.routes["/api/v1/statuses"] = json_reply({"error": "later"}, status)
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == state
    assert announcement.next_attempt_at == now + timedelta(minutes=5)


def test_a_refusal_is_permanent_with_the_servers_reason(mastodon, stop):
    mastodon.routes["/api/v1/statuses"] = json_reply({"error": "Validation failed: Text"}, 422)
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "gave_up"
    assert "422" in announcement.last_error and "Validation failed" in announcement.last_error
    assert announcement.next_attempt_at is None
    entry = announcement.attempt_log.get()
    assert (entry.ok, entry.status_code) == (False, 422)


def test_too_long_for_mastodon_is_refused_before_sending(mastodon, stop, tour_staff):
    from earful.events.actions.announcements import edit_announcement

    announcement, now = due_time(stop)
    edit_announcement(announcement, tour_staff, "x" * 480 + " https://a.example/" + "p" * 40)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "gave_up"
    assert "Mastodon takes 500" in announcement.last_error
    assert mastodon.requests == []


def test_mastodon_counts_links_as_23_characters():
    assert mastodon_length("see https://example.com/" + "a" * 100) == 4 + 23
    assert mastodon_length("plain text") == 10


def test_a_closed_port_is_retried(local, tour, tour_staff, stop):
    only_channel(tour, tour_staff, "mastodon", {"instance": "http://127.0.0.1:9", "token": "t"})
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "failed"
    assert announcement.attempt_log.get().status_code is None


def test_a_slow_server_times_out_and_is_retried(mastodon, stop, monkeypatch):
    monkeypatch.setattr("earful.events.sending.TIMEOUT", 0.5)

    def slow(handler):
        time.sleep(1.5)
        json_reply({"id": "1"})(handler)

    mastodon.routes["/api/v1/statuses"] = slow
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "failed"
    assert "timed out" in announcement.last_error or "time limit" in announcement.last_error


def test_a_private_address_is_refused_for_good(tour, tour_staff, stop, settings):
    settings.EARFUL_ALLOW_NETWORKS = []
    only_channel(tour, tour_staff, "webhook", {"url": "http://127.0.0.1:9/hook", "secret": "s"})
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "gave_up"
    assert "loopback" in announcement.last_error


# --- Bluesky ---------------------------------------------------------------------------------


@pytest.fixture
def bluesky(local, tour, tour_staff):
    only_channel(
        tour,
        tour_staff,
        "bluesky",
        {"service": local.url("/")[:-1], "handle": "tours.example", "app_password": "app-pw"},
    )
    local.routes["/xrpc/com.atproto.server.createSession"] = json_reply(
        {"did": "did:plc:abc123", "handle": "tours.example", "accessJwt": "jwt-1"}
    )

    def create_record(handler):
        body = json.loads(local.requests[-1].body)
        json_reply({"uri": f"at://did:plc:abc123/app.bsky.feed.post/{body['rkey']}", "cid": "c"})(
            handler
        )

    local.routes["/xrpc/com.atproto.repo.createRecord"] = create_record
    return local


def test_bluesky_signs_in_then_creates_a_post_with_a_link_facet(bluesky, stop, tour_staff):
    from earful.events.actions.announcements import edit_announcement

    announcement, now = due_time(stop)
    text = "Zürich café ☕ tomorrow: " + f"https://earful.example/tours/x/stops/{stop.pk}/"
    edit_announcement(announcement, tour_staff, text)

    send_due_announcements(now)

    session, create = bluesky.requests
    assert session.path == "/xrpc/com.atproto.server.createSession"
    assert json.loads(session.body) == {"identifier": "tours.example", "password": "app-pw"}
    assert create.path == "/xrpc/com.atproto.repo.createRecord"
    assert create.headers["Authorization"] == "Bearer jwt-1"
    body = json.loads(create.body)
    assert body["repo"] == "did:plc:abc123"
    assert body["collection"] == "app.bsky.feed.post"
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == text
    assert record["createdAt"].endswith("Z")
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    url = text.encode()[start:end].decode()
    assert url == f"https://earful.example/tours/x/stops/{stop.pk}/"
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": url}]
    assert start != text.index("https")  # bytes, not characters: ü, é and ☕ are wider
    announcement.refresh_from_db()
    assert announcement.state == "sent"
    assert announcement.remote_url == (
        f"https://bsky.app/profile/tours.example/post/{body['rkey']}"
    )
    assert len(body["rkey"]) == 13


def test_one_bluesky_session_serves_a_round(bluesky, stop, tour, tour_staff, in_two_days):
    from earful.events.actions.tours import save_stop

    save_stop(
        tour, tour_staff, venue="Arc Store Hamburg", address="Jungfernstieg 1", city="Hamburg",
        time_zone_name="Europe/Berlin", starts_at=in_two_days,
        ends_at=in_two_days + timedelta(hours=4),
    )  # fmt: skip
    _, now = due_time(stop)
    assert len(send_due_announcements(now)) == 2
    paths = [r.path for r in bluesky.requests]
    assert paths.count("/xrpc/com.atproto.server.createSession") == 1
    assert paths.count("/xrpc/com.atproto.repo.createRecord") == 2


def test_a_wrong_bluesky_password_is_given_up(bluesky, stop):
    bluesky.routes["/xrpc/com.atproto.server.createSession"] = json_reply(
        {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401
    )
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "gave_up"
    assert "Invalid identifier or password" in announcement.last_error


def test_an_expired_bluesky_session_is_retried(bluesky, stop):
    bluesky.routes["/xrpc/com.atproto.repo.createRecord"] = json_reply(
        {"error": "ExpiredToken", "message": "Token has expired"}, 400
    )
    announcement, now = due_time(stop)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "failed"
    assert "Token has expired" in announcement.last_error


def test_too_long_for_bluesky_is_refused_before_sending(bluesky, stop, tour_staff):
    from earful.events.actions.announcements import edit_announcement

    announcement, now = due_time(stop)
    edit_announcement(announcement, tour_staff, "é" * 301)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "gave_up"
    assert "Bluesky takes 300" in announcement.last_error
    assert bluesky.requests == []


def test_graphemes_count_as_people_see_them():
    assert grapheme_count("cafe\u0301") == 4  # e + combining acute
    assert grapheme_count("🇩🇪🇫🇷") == 2  # two flags
    assert grapheme_count("👩\u200d👩\u200d👧") == 1  # a family joined by ZWJ
    assert grapheme_count("👍🏽") == 1  # with a skin tone
    assert grapheme_count("abc") == 3


def test_link_facets_use_utf8_byte_offsets():
    text = "→ https://a.example/x."
    (facet,) = link_facets(text)
    assert facet["index"] == {"byteStart": 4, "byteEnd": 4 + len("https://a.example/x")}


# --- webhook ---------------------------------------------------------------------------------


def test_the_webhook_gets_signed_json(local, tour, tour_staff, stop):
    only_channel(tour, tour_staff, "webhook", {"url": local.url("/hook"), "secret": "s3cret"})
    local.routes["/hook"] = reply(204)
    announcement, now = due_time(stop)

    send_due_announcements(now)

    request = local.requests[-1]
    expected = "sha256=" + hmac.new(b"s3cret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Earful-Signature"] == expected
    assert request.headers["X-Earful-Delivery"] == str(announcement.pk)
    payload = json.loads(request.body)
    assert payload["event"] == "stop.announced"
    assert payload["text"] == announcement.text
    assert payload["url"] == f"https://earful.example/tours/{stop.tour.slug}/stops/{stop.pk}/"
    assert payload["tour"]["title"] == "40 stores in 40 days"
    assert payload["stop"]["venue"] == "Arc Store Mitte"
    assert payload["stop"]["time_zone"] == "Europe/Berlin"
    assert payload["stop"]["latitude"] == pytest.approx(52.5291)
    announcement.refresh_from_db()
    assert announcement.state == "sent"
    assert announcement.attempt_log.get().status_code == 204


# --- claims ----------------------------------------------------------------------------------


def test_two_workers_never_claim_one_announcement(mastodon, stop):
    announcement, now = due_time(stop)
    first = Announcement.objects.get(pk=announcement.pk)
    second = Announcement.objects.get(pk=announcement.pk)
    assert claim(first, now) is True
    assert claim(second, now) is False
    assert send_due_announcements(now + timedelta(minutes=9)) == []  # held by a live worker
    assert mastodon.requests == []


def test_a_stale_claim_is_taken_over_once(mastodon, stop):
    mastodon.routes["/api/v1/statuses"] = json_reply({"id": "9", "url": "https://m.example/9"})
    announcement, now = due_time(stop)
    assert claim(Announcement.objects.get(pk=announcement.pk), now)  # then the worker died
    later = now + timedelta(minutes=11)
    rival = Announcement.objects.get(pk=announcement.pk)
    assert len(send_due_announcements(later)) == 1
    assert claim(rival, later) is False
    announcement.refresh_from_db()
    assert announcement.state == "sent"
    assert announcement.attempts == 2
    key = mastodon.requests[-1].headers["Idempotency-Key"]
    assert key == f"earful-announcement-{announcement.pk}"


def test_nothing_goes_out_before_its_time(mastodon, stop):
    announcement, now = due_time(stop)
    assert send_due_announcements(now - timedelta(minutes=2)) == []
    assert enqueue_events_work(now - timedelta(minutes=2)) == {"queued": False}
    assert mastodon.requests == []


def test_a_disabled_channel_cancels_instead_of_sending(mastodon, stop):
    announcement, now = due_time(stop)
    Channel.objects.filter(pk=announcement.channel_id).update(enabled=False)
    send_due_announcements(now)
    announcement.refresh_from_db()
    assert announcement.state == "cancelled"
    assert "disabled" in announcement.last_error
    assert mastodon.requests == []


def test_an_announcement_for_a_stop_that_is_over_is_not_sent(mastodon, stop):
    announcement, _ = due_time(stop)
    send_due_announcements(stop.ends_at + timedelta(minutes=1))
    announcement.refresh_from_db()
    assert announcement.state == "cancelled"
    assert "over" in announcement.last_error
    assert mastodon.requests == []


# --- staff and the worker --------------------------------------------------------------------


def test_send_now_skips_the_back_off_of_a_failed_one(mastodon, stop, tour_staff):
    mastodon.routes["/api/v1/statuses"] = json_reply({"error": "down"}, 502)
    announcement, now = due_time(stop)
    send_due_announcements(now)
    mastodon.routes["/api/v1/statuses"] = json_reply({"id": "2", "url": "https://m.example/2"})
    sent = send_now(announcement, tour_staff, now + timedelta(minutes=1))
    assert sent.state == "sent"
    assert [a.ok for a in AnnouncementAttempt.objects.filter(announcement=announcement)] == [
        True,
        False,
    ]
    with pytest.raises(TourError, match="sent"):
        send_now(announcement, tour_staff, now + timedelta(minutes=2))


def test_send_now_waits_for_the_time_and_for_staff(mastodon, stop, django_user_model):
    announcement, now = due_time(stop)
    staff = django_user_model.objects.get(username="maya")
    with pytest.raises(TourError, match="not due"):
        send_now(announcement, staff, now - timedelta(hours=2))
    someone = django_user_model.objects.create_user("someone")
    with pytest.raises(TourError, match="Only staff"):
        send_now(announcement, someone, now)
    assert mastodon.requests == []


def test_the_worker_round_queues_a_run_that_sends(mastodon, stop, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mastodon.routes["/api/v1/statuses"] = json_reply({"id": "3", "url": "https://m.example/3"})
    announcement, _ = due_time(stop)
    Announcement.objects.filter(pk=announcement.pk).update(
        send_at=announcement.send_at - timedelta(days=2)
    )
    assert enqueue_events_work() == {"queued": True}
    announcement.refresh_from_db()
    assert announcement.state == "sent"


def test_tours_send_command(mastodon, stop, capsys):
    mastodon.routes["/api/v1/statuses"] = json_reply({"id": "4", "url": "https://m.example/4"})
    announcement, _ = due_time(stop)
    Announcement.objects.filter(pk=announcement.pk).update(
        send_at=announcement.send_at - timedelta(days=2)
    )
    call_command("tours", "send")
    out = capsys.readouterr().out
    assert "SENT" in out and "Arc Store Mitte" in out and "https://m.example/4" in out
    assert out.strip().endswith("tried=1 sent=1 failed=0 gave_up=0")


def test_tours_due_lists_what_waits(stop, capsys):
    call_command("tours", "due")
    out = capsys.readouterr().out
    assert "Arc Store Mitte" in out and "Mastodon" in out and "scheduled" in out
