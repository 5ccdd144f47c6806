"""Following a stop live: the open stop page asks updates.json?after=<id> for the updates
it does not show yet, gets them as the page renders them, learns which were deleted from
the list of current ids, and stops when the stop is over. Unchanged answers are 304s."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earful.events.actions.live import delete_live_update, post_live_update
from earful.events.actions.tours import cancel_stop, save_stop, update_tour
from earful.events.live_feed import MAX_BATCH, POLL_SECONDS
from earful.events.models import LiveUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_stop(tour, tour_staff):
    now = timezone.now()
    return save_stop(
        tour, tour_staff, venue="Arc Store Lisboa", address="Rua Augusta 1", city="Lisbon",
        time_zone_name="Europe/Lisbon", starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=4), latitude=38.71, longitude=-9.14,
    )  # fmt: skip


def feed(stop, **params):
    return reverse("events:stop-updates", args=[stop.tour.slug, stop.pk]), params


def get(client, stop, headers=None, **params):
    url, query = feed(stop, **params)
    return client.get(url, query, headers=headers or {})


def post(stop, user, text, **fields):
    return post_live_update(stop, user, text=text, **fields)


def test_only_updates_newer_than_the_cursor_come_back(live_stop, tour_staff, client):
    first = post(live_stop, tour_staff, "Doors open")
    second = post(live_stop, tour_staff, "Camera demo <b>now</b> at the back")

    response = get(client, live_stop, after=first.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert [u["id"] for u in body["updates"]] == [second.pk]
    assert body["cursor"] == second.pk and body["more"] is False
    assert body["ids"] == [second.pk, first.pk]  # every current update, newest first
    assert body["follow"] is True and body["phase"] == "live"
    assert body["poll_seconds"] == POLL_SECONDS
    html = body["updates"][0]["html"]
    assert html.startswith(f'<article class="update" id="update-{second.pk}"')
    assert "&lt;b&gt;now&lt;/b&gt;" in html and "<b>" not in html  # escaped server-side
    assert get(client, live_stop, after=second.pk).json()["updates"] == []


def test_without_a_cursor_every_update_comes_oldest_first(live_stop, tour_staff, client):
    made = [post(live_stop, tour_staff, f"update {n}") for n in range(3)]
    body = get(client, live_stop).json()
    assert [u["id"] for u in body["updates"]] == [u.pk for u in made]
    assert body["cursor"] == made[-1].pk


def test_the_fragment_is_the_article_the_page_renders(live_stop, tour_staff, client, settings):
    from earful.blog.models import Photo, PhotoRendition

    settings.MEDIA_URL = "/media/"
    photo = Photo.objects.create(
        image="blog/photos/2026/01/stand.jpg", width=1600, height=1200, alt="Our <stand>"
    )
    PhotoRendition.objects.create(
        photo=photo, width=480, height=360, image="blog/renditions/2026/01/stand-480.jpg"
    )
    update = LiveUpdate.objects.create(
        stop=live_stop, author=tour_staff, text="The stand", photo=photo
    )

    fragment = get(client, live_stop).json()["updates"][0]["html"]
    page = client.get(live_stop.get_absolute_url()).content.decode()

    assert fragment in page
    assert 'alt="Our &lt;stand&gt;"' in fragment
    assert "/media/blog/renditions/2026/01/stand-480.jpg 480w" in fragment
    assert f'href="#update-{update.pk}"' in fragment


def test_the_page_tells_its_script_where_to_poll_from(live_stop, tour_staff, client):
    update = post(live_stop, tour_staff, "Doors open")
    html = client.get(live_stop.get_absolute_url()).content.decode()
    url, _ = feed(live_stop)
    assert f'data-live-feed="{url}" data-cursor="{update.pk}"' in html
    assert 'data-starts-in="0"' in html
    assert 'role="status" aria-live="polite" data-live-status' in html
    assert "/static/events/live-updates.js" in html


def test_a_static_server_serves_the_script(client, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("events/live-updates.js") is not None


def test_an_unchanged_answer_is_a_304_and_a_cdn_may_keep_it_seconds(live_stop, tour_staff, client):
    update = post(live_stop, tour_staff, "Doors open")
    first = get(client, live_stop, after=update.pk)
    etag = first["ETag"]
    cache_control = first["Cache-Control"]
    assert "public" in cache_control and "max-age=5" in cache_control
    assert "Last-Modified" not in first  # a deletion is a change no date can say

    again = get(client, live_stop, headers={"If-None-Match": etag}, after=update.pk)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "max-age=5" in again["Cache-Control"]

    newer = post(live_stop, tour_staff, "Queue around the block")
    changed = get(client, live_stop, headers={"If-None-Match": etag}, after=update.pk)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert [u["id"] for u in changed.json()["updates"]] == [newer.pk]


def test_an_unchanged_answer_costs_one_query_after_the_stop(
    live_stop, tour_staff, client, django_assert_num_queries
):
    update = post(live_stop, tour_staff, "Doors open")
    etag = get(client, live_stop, after=update.pk)["ETag"]
    with django_assert_num_queries(2):  # the stop, its update ids
        response = get(client, live_stop, headers={"If-None-Match": etag}, after=update.pk)
    assert response.status_code == 304


def test_deleted_updates_are_reported_by_their_absence_from_ids(live_stop, tour_staff, client):
    first = post(live_stop, tour_staff, "Doors open")
    second = post(live_stop, tour_staff, "Oops, wrong stop")
    cursor = second.pk
    etag = get(client, live_stop, after=cursor)["ETag"]

    delete_live_update(second, tour_staff)

    response = get(client, live_stop, headers={"If-None-Match": etag}, after=cursor)
    assert response.status_code == 200  # not a 304: the page must drop one
    body = response.json()
    assert body["ids"] == [first.pk] and body["updates"] == []
    assert body["cursor"] == cursor  # ids above the cursor are still the new ones


def test_a_long_backlog_comes_in_batches(live_stop, tour_staff, client):
    LiveUpdate.objects.bulk_create(
        LiveUpdate(stop=live_stop, author=tour_staff, text=f"update {n}")
        for n in range(MAX_BATCH + 3)
    )
    body = get(client, live_stop).json()
    assert len(body["updates"]) == MAX_BATCH and body["more"] is True
    rest = get(client, live_stop, after=body["cursor"]).json()
    assert len(rest["updates"]) == 3 and rest["more"] is False


@pytest.mark.parametrize(
    "cursor",
    [
        "", "-1", "abc", "1.5", "1e3", " 1", "1 ", "+1", "0x10", "\u0663",  # Arabic-Indic 3
        "9" * 19, "9" * 400, "1\x00", "None", "[]",
    ],
)  # fmt: skip
def test_a_hostile_cursor_is_a_400_not_a_500(live_stop, client, cursor):
    response = get(client, live_stop, after=cursor)
    assert response.status_code == 400
    assert "after must be the id of an update" in response.json()["error"]


def test_a_cursor_past_every_update_is_just_nothing_new(live_stop, tour_staff, client):
    post(live_stop, tour_staff, "Doors open")
    body = get(client, live_stop, after="9" * 18).json()
    assert body["updates"] == [] and body["cursor"] == int("9" * 18)


def test_unknown_tours_and_stops_are_404(live_stop, stop, client):
    url = reverse("events:stop-updates", args=["no-such-tour", live_stop.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("events:stop-updates", args=[live_stop.tour.slug, 999999])).status_code
        == 404
    )


def test_a_stop_of_another_tour_is_404(live_stop, tour_staff, client):
    from earful.events.actions.tours import create_tour

    other = update_tour(create_tour(tour_staff, title="Another tour"), tour_staff, published=True)
    url = reverse("events:stop-updates", args=[other.slug, live_stop.pk])
    assert client.get(url).status_code == 404


def test_an_unpublished_tour_is_404_as_its_stop_page_is(live_stop, tour_staff, client):
    update_tour(live_stop.tour, tour_staff, published=False)
    assert client.get(live_stop.get_absolute_url()).status_code == 404
    assert get(client, live_stop).status_code == 404


def test_a_cancelled_stop_keeps_its_updates_and_tells_the_page_to_stop(
    live_stop, tour_staff, client
):
    update = post(live_stop, tour_staff, "Doors open")
    cancel_stop(live_stop, tour_staff)
    body = get(client, live_stop).json()
    assert body["follow"] is False and body["phase"] == "cancelled"
    assert body["ids"] == [update.pk]  # the stop page still lists them
    page = client.get(live_stop.get_absolute_url()).content.decode()
    assert "data-live-feed" not in page and "live-updates.js" not in page


def test_polling_ends_an_hour_after_the_stop(tour, tour_staff, client):
    now = timezone.now()
    just_over = save_stop(
        tour, tour_staff, venue="Arc Store Porto", address="Rua 2", time_zone_name="UTC",
        starts_at=now - timedelta(hours=5), ends_at=now - timedelta(minutes=30),
    )  # fmt: skip
    long_over = save_stop(
        tour, tour_staff, venue="Arc Store Braga", address="Rua 3", time_zone_name="UTC",
        starts_at=now - timedelta(hours=5), ends_at=now - timedelta(hours=2),
    )  # fmt: skip
    assert get(client, just_over).json()["follow"] is True  # packing-up photos still come
    assert get(client, long_over).json()["follow"] is False
    assert "data-live-feed" in client.get(just_over.get_absolute_url()).content.decode()
    assert "data-live-feed" not in client.get(long_over.get_absolute_url()).content.decode()


def test_an_upcoming_stop_page_waits_until_an_hour_before(stop, client):
    html = client.get(stop.get_absolute_url()).content.decode()
    starts_in = int(html.split('data-starts-in="', 1)[1].split('"', 1)[0])
    expected = (stop.starts_at - timezone.now() - timedelta(hours=1)).total_seconds()
    assert abs(starts_in - expected) < 60
    assert get(client, stop).json()["follow"] is False  # not yet


def test_only_get_and_head(live_stop, client):
    url, _ = feed(live_stop)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_the_answer_is_the_same_for_everyone(live_stop, tour_staff, client):
    post(live_stop, tour_staff, "Doors open")
    anonymous = get(client, live_stop)
    client.force_login(tour_staff)
    staff = get(client, live_stop)
    assert json.loads(anonymous.content) == json.loads(staff.content)
    assert anonymous["ETag"] == staff["ETag"]
    assert "Cookie" not in anonymous.get("Vary", "")
