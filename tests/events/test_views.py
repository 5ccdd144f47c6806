"""The public tour pages over HTTP: the list of tours, a tour with its map data and stops by
phase, a stop with its live updates and the feedback form."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from earful.events.actions.tours import cancel_stop, create_tour, save_stop, update_tour
from earful.events.models import Feedback, LiveUpdate, Stop
from earful.river.models import Mention


def add_stop(tour, user, *, starts, hours=4, zone="Europe/Berlin", **fields):
    """A stop starting at `starts` (an aware moment) in the venue's `zone`."""
    values = {
        "venue": "Store",
        "address": "Main St 1",
        "city": "Berlin",
        "latitude": 52.52,
        "longitude": 13.40,
    } | fields
    return save_stop(
        tour,
        user,
        time_zone_name=zone,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        **values,
    )


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def live_stop(tour, tour_staff, now):
    return add_stop(
        tour, tour_staff, venue="Arc Store Live", starts=now - timedelta(hours=1), city="Hamburg"
    )


def map_data(content: bytes, element_id: str = "tour-map-data") -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        content.decode(),
        re.S,
    )
    assert found, f"no {element_id} in the page"
    return json.loads(found.group(1))


def test_the_tour_page_lists_stops_by_phase_with_map_data(tour, tour_staff, stop, now, client):
    past = add_stop(tour, tour_staff, venue="Old Store", starts=now - timedelta(days=3))
    live = add_stop(tour, tour_staff, venue="Live Store", starts=now - timedelta(hours=1))
    later = add_stop(tour, tour_staff, venue="Later Store", starts=now + timedelta(days=9))
    gone = add_stop(tour, tour_staff, venue="Gone Store", starts=now + timedelta(days=5))
    cancel_stop(gone, tour_staff)
    nowhere = add_stop(
        tour, tour_staff, venue="Popup Van", starts=now + timedelta(days=7),
        latitude=None, longitude=None,
    )  # fmt: skip

    response = client.get(tour.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    sections = re.findall(r'<section class="stops" id="(\w+)">', html)
    assert sections == ["live", "upcoming", "past", "cancelled"]
    # Upcoming soonest first, the next stop marked; the live stop is announced on top.
    upcoming = html.split('id="upcoming"')[1].split("</section>")[0]
    assert upcoming.index("Arc Store Mitte") < upcoming.index("Popup Van") < upcoming.index("Later")
    assert re.search(rf'id="stop-{stop.pk}"[^>]*>|class="[^"]*next[^"]*" id="stop-{stop.pk}"', html)
    assert "Next stop" in html.split(f'id="stop-{stop.pk}"')[1].split("</li>")[0]
    assert "Live now</strong> at" in html and "Live Store" in html.split("live-banner")[1]
    data = map_data(response.content)
    phases = {marker["venue"]: marker["phase"] for marker in data["stops"]}
    assert phases == {
        "Arc Store Mitte": "upcoming",
        "Old Store": "past",
        "Live Store": "live",
        "Later Store": "upcoming",
        "Gone Store": "cancelled",
    }  # the stop without coordinates is listed but not on the map
    assert "Popup Van" in html and nowhere.pk not in [m["id"] for m in data["stops"]]
    assert [m for m in data["stops"] if m["next"]] == [
        m for m in data["stops"] if m["id"] == stop.pk
    ]
    assert data["stops"][0]["url"] == past.get_absolute_url()
    assert data["tiles"] and data["attribution"]
    assert later.get_absolute_url() in html and live.get_absolute_url() in html
    assert "1 stop without a map position" in html
    assert "/static/vendor/leaflet/leaflet.js" in html


def test_local_times_are_the_venues_with_the_zone_abbreviation(tour, tour_staff, client):
    winter = datetime(2031, 1, 15, 10, 0)  # wall clock at each venue
    add_stop(tour, tour_staff, venue="Berlin", starts=winter, zone="Europe/Berlin")
    add_stop(tour, tour_staff, venue="New York", starts=winter, zone="America/New_York")
    summer = datetime(2031, 7, 15, 19, 30)
    add_stop(tour, tour_staff, venue="Summer", starts=summer, hours=2, zone="Europe/Berlin")
    overnight = datetime(2031, 3, 29, 22, 0)  # clocks go forward during the night:
    add_stop(tour, tour_staff, venue="Night", starts=overnight, hours=8, zone="Europe/Berlin")
    # 22:00 to 06:00 on the venue's clocks (seven hours).

    html = client.get(tour.get_absolute_url()).content.decode()

    assert "Wed 15 Jan 2031, 10:00–14:00 CET" in html
    assert "Wed 15 Jan 2031, 10:00–14:00 EST" in html
    assert "Tue 15 Jul 2031, 19:30–21:30 CEST" in html
    assert "Sat 29 Mar 2031 22:00 CET – Sun 30 Mar 2031 06:00 CEST" in html


def test_the_tour_list_shows_published_tours_upcoming_first(tour, tour_staff, now, client):
    add_stop(tour, tour_staff, starts=now + timedelta(days=20))
    soon = create_tour(tour_staff, title="Spring roadshow")
    update_tour(soon, tour_staff, published=True)
    add_stop(soon, tour_staff, starts=now + timedelta(days=2))
    old = create_tour(tour_staff, title="Last year's tour")
    update_tour(old, tour_staff, published=True)
    add_stop(old, tour_staff, starts=now - timedelta(days=200))
    create_tour(tour_staff, title="Secret plans")  # not published

    response = client.get("/tours/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Spring roadshow") < html.index("40 stores") < html.index("Last year")
    assert "Secret plans" not in html
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_the_tour_list_gives_days_on_the_venues_clocks(tour, tour_staff, now, client):
    # 08:00 in Sydney on 1 March is still 28 February in UTC.
    add_stop(tour, tour_staff, starts=datetime(2031, 3, 1, 8, 0), zone="Australia/Sydney")
    add_stop(tour, tour_staff, starts=datetime(2031, 3, 9, 20, 0), zone="America/Los_Angeles")
    live = create_tour(tour_staff, title="Live roadshow")
    update_tour(live, tour_staff, published=True)
    add_stop(live, tour_staff, starts=now - timedelta(hours=1))

    html = client.get("/tours/").content.decode()

    assert "2 stops · 1 Mar 2031 – 10 Mar 2031" in html.replace("\n", " ")
    assert "next stop 1 Mar 2031" in html
    assert html.index("Live roadshow") < html.index(tour.title)
    assert "live now" in html.split("Live roadshow")[1].split("</article>")[0]


def test_unknown_and_unpublished_tours_are_not_found(tour, tour_staff, stop, client):
    hidden = create_tour(tour_staff, title="Draft tour")
    hidden_stop = add_stop(hidden, tour_staff, starts=timezone.now())
    other = create_tour(tour_staff, title="Other tour")
    update_tour(other, tour_staff, published=True)

    assert client.get("/tours/no-such-tour/").status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden_stop.get_absolute_url()).status_code == 404
    assert client.get(f"/tours/{tour.slug}/stops/999999/").status_code == 404
    # A stop is only found under its own tour.
    assert client.get(f"/tours/{other.slug}/stops/{stop.pk}/").status_code == 404
    assert client.get(f"/tours/{hidden.slug}/calendar.ics").status_code == 404
    assert client.get(f"/tours/{hidden.slug}/feed.atom").status_code == 404
    assert client.get(f"/tours/{tour.slug}/stops/{hidden_stop.pk}/qr").status_code == 404
    # Staff see drafts in the console, not here, even when signed in.
    client.force_login(tour_staff)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_text_is_escaped_on_the_public_pages(tour, tour_staff, now, client):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    stop = add_stop(
        tour, tour_staff, venue=hostile, address=hostile, city=hostile,
        description=f"Come by! {hostile}", starts=now - timedelta(hours=1),
    )  # fmt: skip
    update_tour(tour, tour_staff, title=f"Tour {hostile}", description=hostile)

    for url in (tour.get_absolute_url(), stop.get_absolute_url(), f"{stop.get_absolute_url()}qr"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    # In the embedded map data too: json_script escapes < and >.
    raw = client.get(tour.get_absolute_url()).content.decode()
    assert "\\u003Cscript\\u003E" in raw
    assert map_data(raw.encode())["stops"][0]["venue"] == " ".join(hostile.split())


def test_the_stop_page_shows_place_time_and_live_updates_newest_first(
    live_stop, tour_staff, client
):
    earlier = LiveUpdate.objects.create(
        stop=live_stop, author=tour_staff, text="Doors open, queue around the block",
        created_at=timezone.now() - timedelta(minutes=30),
    )  # fmt: skip
    later = LiveUpdate.objects.create(
        stop=live_stop, author=tour_staff, text="Camera demo <b>now</b> at the back",
    )  # fmt: skip

    response = client.get(live_stop.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'id="update-{later.pk}"') < html.index(f'id="update-{earlier.pk}"')
    assert "Camera demo &lt;b&gt;now&lt;/b&gt;" in html
    assert "Happening now" in html and "Europe/Berlin" in html and "Main St 1, Hamburg" in html
    assert map_data(response.content, "stop-map-data")["stops"][0]["phase"] == "live"
    assert 'action="' + live_stop.get_absolute_url() + 'feedback"' in html
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_live_updates_show_photos_with_their_renditions(live_stop, tour_staff, client, settings):
    from earful.blog.models import Photo, PhotoRendition

    settings.MEDIA_URL = "/media/"
    photo = Photo.objects.create(
        image="blog/photos/2026/01/stand.jpg", width=1600, height=1200, alt="Our stand"
    )
    PhotoRendition.objects.create(
        photo=photo, width=480, height=360, image="blog/renditions/2026/01/stand-480.jpg"
    )
    LiveUpdate.objects.create(stop=live_stop, author=tour_staff, text="The stand", photo=photo)

    html = client.get(live_stop.get_absolute_url()).content.decode()

    assert 'alt="Our stand"' in html
    assert "/media/blog/renditions/2026/01/stand-480.jpg 480w" in html
    assert "/media/blog/photos/2026/01/stand.jpg 1600w" in html


def test_a_visitor_leaves_feedback_and_is_thanked(live_stop, client):
    response = client.post(
        f"{live_stop.get_absolute_url()}feedback",
        {"text": "Loved the zebrafish demo", "rating": "5", "name": "Jo", "email": ""},
        REMOTE_ADDR="203.0.113.7",
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{live_stop.get_absolute_url()}#feedback"
    assert "Thank you" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.stop, feedback.rating, feedback.name) == (live_stop, 5, "Jo")
    mention = Mention.objects.get(pk=feedback.mention_id)
    assert mention.source.name == "Tours" and "zebrafish" in mention.text


def test_refused_feedback_keeps_the_text_and_says_why(live_stop, client):
    response = client.post(
        f"{live_stop.get_absolute_url()}feedback",
        {"text": "Great day", "rating": "5", "email": "not-an-address"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "does not look right" in html and "Great day</textarea>" in html
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "x" * 100_000},
        {"text": "hello", "rating": "11"},
        {"text": "hello", "rating": "-1"},
        {"text": "hello", "rating": "1e308"},
        {"text": "   "},
        {"text": "hello", "name": "n" * 5000},
        {"text": "hello", "email": "a@" + "b" * 5000 + ".org"},
        {"text": "nul \x00 byte"},
        {},
    ],
)
def test_odd_feedback_is_refused_without_a_crash(live_stop, client, fields):
    response = client.post(f"{live_stop.get_absolute_url()}feedback", fields)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_is_rate_limited_per_address(live_stop, client, settings):
    settings.EARFUL_TOUR_FEEDBACK_RATE = "1/m"
    url = f"{live_stop.get_absolute_url()}feedback"
    assert client.post(url, {"text": "first"}, REMOTE_ADDR="198.51.100.4").status_code == 302
    response = client.post(url, {"text": "second"}, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 400 and "try again" in response.content.decode()
    assert Feedback.objects.count() == 1


def test_the_feedback_form_needs_its_csrf_token(live_stop):
    browser = Client(enforce_csrf_checks=True)
    url = f"{live_stop.get_absolute_url()}feedback"

    assert browser.post(url, {"text": "no token"}).status_code == 403

    page = browser.get(live_stop.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = browser.post(url, {"text": "with the token", "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302
    assert Feedback.objects.get().text == "with the token"


def test_feedback_says_when_it_opens_and_refuses_early_posts(stop, client):
    html = client.get(stop.get_absolute_url()).content.decode()

    assert "Feedback opens when the stop starts" in html and "<form" not in html
    response = client.post(f"{stop.get_absolute_url()}feedback", {"text": "too early"})
    assert response.status_code == 400 and "opens when it starts" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_cancelled_stop_says_so_and_takes_no_feedback(live_stop, tour_staff, client):
    cancel_stop(live_stop, tour_staff)

    html = client.get(live_stop.get_absolute_url()).content.decode()

    assert "This stop is cancelled" in html and "<form" not in html
    response = client.post(f"{live_stop.get_absolute_url()}feedback", {"text": "hi"})
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_the_feedback_endpoint_only_takes_posts(live_stop, client):
    assert client.get(f"{live_stop.get_absolute_url()}feedback").status_code == 405


def test_public_pages_answer_304_when_unchanged(tour, stop, client):
    first = client.get(tour.get_absolute_url())
    assert first.has_header("ETag")

    again = client.get(tour.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_the_tour_page_reads_a_few_queries_whatever_the_stop_count(
    tour, tour_staff, now, client, django_assert_max_num_queries
):
    for day in range(30):
        live = add_stop(tour, tour_staff, venue=f"Store {day}", starts=now + timedelta(days=day))
        LiveUpdate.objects.create(stop=live, text=f"update {day}")
    Stop.objects.filter(tour=tour).update(starts_at=now - timedelta(hours=1))

    with django_assert_max_num_queries(3):  # the tour, its stops, the latest live update
        response = client.get(tour.get_absolute_url())
    assert response.content.decode().count('class="stop-row') == 30


@pytest.mark.parametrize(
    "path",
    [
        "stops/99999999999999999999999/",
        "stops/99999999999999999999999/qr",
        "stops/99999999999999999999999/qr.svg",
        "stops/99999999999999999999999/calendar.ics",
    ],
)
def test_absurd_stop_ids_are_not_found(tour, client, path):
    assert client.get(f"{tour.get_absolute_url()}{path}").status_code == 404


def test_an_absurd_stop_id_in_a_feedback_post_is_not_found(tour, client):
    url = f"{tour.get_absolute_url()}stops/99999999999999999999999/feedback"
    assert client.post(url, {"text": "hi"}).status_code == 404


def test_a_stop_page_leads_to_the_stops_before_and_after(tour, tour_staff, now, client):
    first = add_stop(tour, tour_staff, venue="First", starts=now + timedelta(days=1))
    second = add_stop(tour, tour_staff, venue="Second", starts=now + timedelta(days=2))
    third = add_stop(tour, tour_staff, venue="Third", starts=now + timedelta(days=3))

    html = client.get(second.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    html = client.get(first.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in html and f'rel="next" href="{second.get_absolute_url()}"' in html
