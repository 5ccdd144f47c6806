"""The tour console over HTTP: who may see each page, CSRF, tours and stops (venue time
zones, coordinates typed or found), channels with secrets never shown back, and the
announcements page (edit, cancel, send now, the log)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earful.events.models import Announcement, AnnouncementAttempt, Channel, Stop, Tour
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.django_db

TOKEN = "mastodon-token-abcdefghijkl"


def login(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.fixture
def staff(tour_staff) -> Client:
    return login(tour_staff)


def json_reply(data, status: int = 200):
    return reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


def every_page(tour, stop):
    announcement = stop.announcements.first()
    update_ids = {"update_id": 1}
    return [
        ("events-console:tours", {}),
        ("events-console:tour-new", {}),
        ("events-console:channels", {}),
        ("events-console:channel-new", {}),
        ("events-console:channel-edit", {"channel_id": announcement.channel_id}),
        ("events-console:channel-toggle", {"channel_id": announcement.channel_id}),
        ("events-console:live", {}),
        ("events-console:live-delete", update_ids),
        ("events-console:geocode", {}),
        ("events-console:tour", {"slug": tour.slug}),
        ("events-console:tour-edit", {"slug": tour.slug}),
        ("events-console:stop-new", {"slug": tour.slug}),
        ("events-console:stop-edit", {"slug": tour.slug, "stop_id": stop.pk}),
        ("events-console:stop-cancel", {"slug": tour.slug, "stop_id": stop.pk}),
        ("events-console:stop-delete", {"slug": tour.slug, "stop_id": stop.pk}),
        ("events-console:announcements", {"slug": tour.slug}),
        (
            "events-console:announcement-edit",
            {"slug": tour.slug, "announcement_id": announcement.pk},
        ),
        (
            "events-console:announcement-cancel",
            {"slug": tour.slug, "announcement_id": announcement.pk},
        ),
        (
            "events-console:announcement-send",
            {"slug": tour.slug, "announcement_id": announcement.pk},
        ),
        ("events-console:feedback", {"slug": tour.slug}),
    ]


def test_every_page_needs_manage_tours(client, user_with_roles, tour, stop):
    listener = login(user_with_roles("listener"))
    for name, kwargs in every_page(tour, stop):
        url = reverse(name, kwargs=kwargs)
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"], url
        assert client.post(url).status_code == 302, url
        assert listener.get(url).status_code == 403, url
        assert listener.post(url).status_code == 403, url
    assert Stop.objects.filter(pk=stop.pk, cancelled=False).exists()
    assert stop.announcements.filter(state="scheduled").count() == 2


def test_admins_and_authors_see_every_page(user_with_roles, tour_staff, tour, stop):
    for user in (tour_staff, user_with_roles("admin")):
        browser = login(user)
        for name, kwargs in every_page(tour, stop):
            if name.endswith(("toggle", "delete", "cancel", "send")) or name == (
                "events-console:announcement-edit"
            ):
                assert browser.get(reverse(name, kwargs=kwargs)).status_code == 405
                continue
            if name == "events-console:geocode":
                continue  # 400 without a geocoder, tested below
            assert browser.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_posts_need_the_csrf_token(tour_staff, tour, stop):
    guarded = login(tour_staff, csrf=True)
    for name, kwargs in every_page(tour, stop):
        assert guarded.post(reverse(name, kwargs=kwargs)).status_code == 403, name
    stop.refresh_from_db()
    assert not stop.cancelled


def test_the_tours_list_counts(staff, tour, stop):
    page = staff.get(reverse("events-console:tours")).content.decode()
    assert "40 stores in 40 days" in page
    row = page[page.index(f'data-tour="{tour.slug}"') :].split("</tr>")[0]
    assert '<td class="n">1</td>' in row  # one stop
    assert '?state=scheduled">2</a>' in row  # two announcements waiting


def test_create_a_tour(staff, channels):
    response = staff.post(
        reverse("events-console:tour-new"),
        {
            "title": "Spring roadshow",
            "description": "Ten **cities**.",
            "announce_hours_before": "48",
            "announcement_template": "{tour} comes to {city}: {url}",
            "channels": [channels[0].pk],
            "published": "on",
        },
    )
    tour = Tour.objects.get(slug="spring-roadshow")
    assert response.status_code == 302
    assert response["Location"] == reverse("events-console:tour", args=[tour.slug])
    assert tour.published and tour.announce_hours_before == 48
    assert list(tour.channels.all()) == [channels[0]]
    assert "<strong>cities</strong>" in tour.description_html


def test_a_template_with_an_unknown_field_is_refused(staff):
    response = staff.post(
        reverse("events-console:tour-new"),
        {"title": "Typo tour", "announce_hours_before": "24", "announcement_template": "{venu}"},
    )
    assert response.status_code == 200
    assert "Unknown fields in the announcement text: {venu}" in response.content.decode()
    assert not Tour.objects.filter(title="Typo tour").exists()


def test_edit_a_tour_and_its_announcements_follow(staff, tour, stop):
    before = stop.announcements.first().send_at
    response = staff.post(
        reverse("events-console:tour-edit", args=[tour.slug]),
        {
            "title": tour.title,
            "announce_hours_before": "2",
            "channels": [c.pk for c in tour.channels.all()],
            "published": "on",
        },
    )
    assert response.status_code == 302
    after = stop.announcements.first()
    assert after.send_at == stop.starts_at - timedelta(hours=2)
    assert after.send_at > before
    page = staff.get(reverse("events-console:tour-edit", args=[tour.slug])).content.decode()
    assert "{tour}, {venue}, {address}, {city}, {start}, {end}, {url}" in page


def stop_data(**changes):
    return {
        "venue": "Arc Store Shibuya",
        "address": "1-2-3 Jinnan",
        "city": "Tokyo",
        "time_zone": "Asia/Tokyo",
        "starts_at": "2031-05-01T10:00",
        "ends_at": "2031-05-01T18:30",
        "latitude": "35.6620",
        "longitude": "139.7000",
        "description": "",
        "save": "1",
    } | changes


def test_add_a_stop_in_the_venues_time_zone(staff, tour):
    response = staff.post(reverse("events-console:stop-new", args=[tour.slug]), stop_data())
    assert response.status_code == 302
    stop = tour.stops.get(venue="Arc Store Shibuya")
    assert stop.starts_at == datetime(2031, 5, 1, 1, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 JST
    assert stop.time_zone == "Asia/Tokyo"
    assert (stop.latitude, stop.longitude) == (35.662, 139.7)
    page = staff.get(reverse("events-console:stop-edit", args=[tour.slug, stop.pk]))
    assert 'value="2031-05-01T10:00"' in page.content.decode()  # shown in the venue's time
    assert stop.announcements.count() == 2


def test_a_new_stop_starts_where_the_tour_left_off(staff, tour, stop):
    page = staff.get(reverse("events-console:stop-new", args=[tour.slug])).content.decode()
    local = timezone.localtime(stop.starts_at, ZoneInfo("Europe/Berlin")) + timedelta(days=1)
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in page
    assert '<option value="Europe/Berlin" selected>' in page


def test_the_time_zone_is_a_select_of_real_zones(staff, tour):
    page = staff.get(reverse("events-console:stop-new", args=[tour.slug])).content.decode()
    assert '<option value="Europe/Berlin">' in page
    assert '<option value="America/Argentina/Buenos_Aires">' in page
    response = staff.post(
        reverse("events-console:stop-new", args=[tour.slug]), stop_data(time_zone="Mars/Base")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"ends_at": "2031-05-01T09:00"}, "A stop ends after it starts."),
        ({"starts_at": "yesterday"}, "Enter a date and time like"),
        ({"latitude": "95"}, "less than or equal to 90"),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"venue": ""}, "This field is required."),
    ],
)
def test_a_bad_stop_is_refused_with_the_reason(staff, tour, changes, says):
    response = staff.post(
        reverse("events-console:stop-new", args=[tour.slug]), stop_data(**changes)
    )
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not tour.stops.exists()


def test_edit_cancel_reinstate_and_delete_a_stop(staff, tour, stop):
    edit = reverse("events-console:stop-edit", args=[tour.slug, stop.pk])
    data = stop_data(venue="Arc Store Mitte (2nd floor)", time_zone="Europe/Berlin")
    assert staff.post(edit, data).status_code == 302
    stop.refresh_from_db()
    assert stop.venue == "Arc Store Mitte (2nd floor)"
    cancel = reverse("events-console:stop-cancel", args=[tour.slug, stop.pk])
    staff.post(cancel, {"cancelled": "1"})
    assert set(stop.announcements.values_list("state", flat=True)) == {"cancelled"}
    page = staff.get(reverse("events-console:tour", args=[tour.slug])).content.decode()
    assert "Reinstate" in page
    staff.post(cancel, {"cancelled": "0"})
    assert set(stop.announcements.values_list("state", flat=True)) == {"scheduled"}
    Announcement.objects.filter(stop=stop).update(state="sent")
    response = staff.post(
        reverse("events-console:stop-delete", args=[tour.slug, stop.pk]), follow=True
    )
    assert "already announced; cancel it instead" in response.content.decode()
    Announcement.objects.filter(stop=stop).update(state="cancelled")
    staff.post(reverse("events-console:stop-delete", args=[tour.slug, stop.pk]))
    assert not Stop.objects.filter(pk=stop.pk).exists()


def test_a_stop_of_another_tour_is_not_found(staff, tour, stop, tour_staff):
    from earful.events.actions.tours import create_tour

    other = create_tour(tour_staff, title="Other tour")
    url = reverse("events-console:stop-edit", args=[other.slug, stop.pk])
    assert staff.get(url).status_code == 404
    cancel = reverse("events-console:stop-cancel", args=[other.slug, stop.pk])
    assert staff.post(cancel).status_code == 404


# --- the geocoder --------------------------------------------------------------------------


@pytest.fixture
def geocoder(allow_loopback, server, settings):  # noqa: F811
    settings.EARFUL_GEOCODER_URL = server.url("/search")
    server.routes["/search"] = json_reply(
        [
            {"display_name": "Jinnan 1-2-3, Shibuya, Tokyo", "lat": "35.6621", "lon": "139.6995"},
            {"display_name": "Jinnan, Nagoya", "lat": "35.1", "lon": "136.9"},
        ]
    )
    return server


def test_find_coordinates_fills_them_in_without_saving(staff, tour, geocoder):
    data = stop_data(latitude="", longitude="", geocode="1")
    del data["save"]
    response = staff.post(reverse("events-console:stop-new", args=[tour.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="35.662100"' in page and 'value="139.699500"' in page
    assert "Jinnan, Nagoya" in page  # the other candidate, to pick instead
    assert 'value="Arc Store Shibuya"' in page  # what was typed stays
    assert "This field is required" not in page
    assert not tour.stops.exists()
    assert "q=1-2-3+Jinnan%2C+Tokyo" in geocoder.requests[-1].path


def test_the_find_button_answers_json(staff, geocoder):
    answer = staff.get(reverse("events-console:geocode"), {"address": "Jinnan 1-2-3, Tokyo"})
    assert answer.status_code == 200
    assert answer.json()["candidates"][0] == {
        "name": "Jinnan 1-2-3, Shibuya, Tokyo",
        "lat": 35.6621,
        "lon": 139.6995,
    }


def test_without_a_geocoder_the_form_says_to_type_coordinates(staff, tour, settings):
    settings.EARFUL_GEOCODER_URL = ""
    page = staff.get(reverse("events-console:stop-new", args=[tour.slug])).content.decode()
    assert 'id="no-geocoder"' in page and "find-coordinates" not in page
    answer = staff.get(reverse("events-console:geocode"), {"address": "x"})
    assert answer.status_code == 400
    assert "type the coordinates" in answer.json()["error"]


# --- channels ------------------------------------------------------------------------------


def channel_data(**changes):
    return {
        "name": "Tours on Mastodon",
        "kind": "mastodon",
        "enabled": "on",
        "instance": "https://mastodon.example/",
        "token": TOKEN,
    } | changes


def test_a_channel_secret_is_never_shown_back(staff):
    assert staff.post(reverse("events-console:channel-new"), channel_data()).status_code == 302
    channel = Channel.objects.get(name="Tours on Mastodon")
    assert channel.config == {"instance": "https://mastodon.example", "token": TOKEN}
    listing = staff.get(reverse("events-console:channels")).content.decode()
    edit = staff.get(reverse("events-console:channel-edit", args=[channel.pk])).content.decode()
    for page in (listing, edit):
        assert TOKEN not in page
        assert "ending in …ijkl" in page
    staff.post(
        reverse("events-console:channel-edit", args=[channel.pk]),
        channel_data(name="Tours (Mastodon)", token=""),
    )
    channel.refresh_from_db()
    assert channel.name == "Tours (Mastodon)"
    assert channel.config["token"] == TOKEN  # blank keeps the stored one


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (channel_data(instance="mastodon.example"), "starting with https://"),
        (channel_data(token=""), "access token is needed"),
        (
            {"name": "Sky", "kind": "bluesky", "handle": "", "app_password": "pw"},
            "Give the account",
        ),
        (
            {"name": "Hook", "kind": "webhook", "url": "https://h.example/in", "secret": "short"},
            "at least 16 characters",
        ),
        (channel_data(name="Mastodon"), "Another channel has this name."),
    ],
)
def test_a_bad_channel_is_refused(staff, channels, data, says):
    response = staff.post(reverse("events-console:channel-new"), data)
    assert response.status_code == 200
    assert says in response.content.decode()


def test_bluesky_and_webhook_channels(staff):
    staff.post(
        reverse("events-console:channel-new"),
        {"name": "Sky", "kind": "bluesky", "service": "", "handle": "@tours.bsky.social",
         "app_password": "abcd-efgh-ijkl-mnop", "enabled": "on"},
    )  # fmt: skip
    sky = Channel.objects.get(name="Sky")
    assert sky.config == {
        "service": "https://bsky.social",
        "handle": "tours.bsky.social",
        "app_password": "abcd-efgh-ijkl-mnop",
    }
    staff.post(
        reverse("events-console:channel-new"),
        {"name": "Hook", "kind": "webhook", "url": "https://h.example/in",
         "secret": "a-secret-of-twenty-chars"},
    )  # fmt: skip
    hook = Channel.objects.get(name="Hook")
    assert hook.config["url"] == "https://h.example/in" and not hook.enabled


def test_disabling_a_channel_cancels_what_it_had_not_sent(staff, stop, channels):
    hook = channels[1]
    toggle = reverse("events-console:channel-toggle", args=[hook.pk])
    staff.post(toggle, {"enabled": "0"})
    assert stop.announcements.get(channel=hook).state == "cancelled"
    assert stop.announcements.get(channel=channels[0]).state == "scheduled"
    staff.post(toggle, {"enabled": "1"})
    assert stop.announcements.get(channel=hook).state == "scheduled"


# --- announcements -------------------------------------------------------------------------


def test_the_announcements_page_shows_when_where_and_what(staff, tour, stop):
    page = staff.get(reverse("events-console:announcements", args=[tour.slug])).content.decode()
    for announcement in stop.announcements.all():
        assert f'id="announcement-{announcement.pk}"' in page
    assert "Arc Store Mitte, Berlin → Mastodon" in page
    assert "Scheduled" in page
    assert "Send now" not in page  # not due yet


def test_edit_and_cancel_an_announcement(staff, tour, stop, channels):
    mastodon = stop.announcements.get(channel=channels[0])
    edit = reverse("events-console:announcement-edit", args=[tour.slug, mastodon.pk])
    response = staff.post(edit, {"text": "See you at the store! " + "x" * 600}, follow=True)
    assert "will not go out like this" in response.content.decode()
    mastodon.refresh_from_db()
    assert mastodon.edited and mastodon.text.startswith("See you at the store!")
    cancel = reverse("events-console:announcement-cancel", args=[tour.slug, mastodon.pk])
    staff.post(cancel)
    mastodon.refresh_from_db()
    assert mastodon.state == "cancelled"
    response = staff.post(edit, {"text": "too late"}, follow=True)
    assert "This announcement is cancelled." in response.content.decode()


def test_an_announcement_of_another_tour_is_not_found(staff, stop, tour_staff):
    from earful.events.actions.tours import create_tour

    other = create_tour(tour_staff, title="Other tour")
    announcement = stop.announcements.first()
    url = reverse("events-console:announcement-cancel", args=[other.slug, announcement.pk])
    assert staff.post(url).status_code == 404


def test_send_now_for_a_due_announcement_and_its_log(
    staff,
    tour,
    stop,
    channels,
    allow_loopback,
    server,  # noqa: F811
):
    server.routes["/hook"] = reply(500, b"broken")
    hook = channels[1]
    hook.config = {"url": server.url("/hook"), "secret": "s"}
    hook.save()
    announcement = stop.announcements.get(channel=hook)
    Announcement.objects.filter(pk=announcement.pk).update(
        send_at=timezone.now() - timedelta(minutes=1)
    )
    page = staff.get(reverse("events-console:announcements", args=[tour.slug])).content.decode()
    assert "Send now" in page
    send = reverse("events-console:announcement-send", args=[tour.slug, announcement.pk])
    response = staff.post(send, follow=True)
    page = response.content.decode()
    assert "Not sent (Failed (will retry))" in page
    assert "The webhook answered 500" in page
    assert "<summary>Log (1)</summary>" in page
    server.routes["/hook"] = reply(200)
    response = staff.post(send, follow=True)
    assert "Sent to Hook." in response.content.decode()
    assert AnnouncementAttempt.objects.filter(announcement=announcement).count() == 2
    response = staff.post(send, follow=True)
    assert "This announcement is sent." in response.content.decode()


def test_send_now_refuses_what_is_not_due(staff, tour, stop):
    announcement = stop.announcements.first()
    send = reverse("events-console:announcement-send", args=[tour.slug, announcement.pk])
    response = staff.post(send, follow=True)
    assert "not due yet" in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.state == "scheduled" and announcement.attempts == 0


def test_the_pages_cost_the_same_queries_for_4_stops_or_12(staff, tour, tour_staff, in_two_days):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from earful.events.actions.live import post_live_update
    from earful.events.actions.tours import save_stop

    def add(n: int) -> None:
        for i in range(n):
            stop = save_stop(
                tour, tour_staff, venue=f"Store {i}", address="Main St", time_zone_name="UTC",
                starts_at=in_two_days - timedelta(days=3), ends_at=in_two_days + timedelta(hours=1),
            )  # fmt: skip
            post_live_update(stop, tour_staff, text="Hello", now=stop.starts_at)

    pages = [
        reverse("events-console:tours"),
        reverse("events-console:tour", args=[tour.slug]),
        reverse("events-console:announcements", args=[tour.slug]),
        reverse("events-console:feedback", args=[tour.slug]),
        reverse("events-console:channels"),
    ]

    def cost() -> list[int]:
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert staff.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    add(4)
    few = cost()
    add(8)
    assert cost() == few
