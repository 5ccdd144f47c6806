"""Live on the day: the phone page picks the stop that is live now, staff post text and a
photo (through the blog's photo pipeline), cross-post as a blog post, delete an update."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from earful.blog.models import Photo, Post
from earful.events.actions.live import (
    current_stop,
    delete_live_update,
    post_live_update,
    stops_of_today,
)
from earful.events.actions.tours import cancel_stop, save_stop
from earful.events.errors import TourError
from earful.events.models import LiveUpdate

pytestmark = pytest.mark.django_db

LIVE = reverse("events-console:live")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def live_stop(tour, tour_staff):
    now = timezone.now()
    return save_stop(
        tour, tour_staff, venue="Arc Store Lisboa", address="Rua Augusta 1", city="Lisbon",
        time_zone_name="Europe/Lisbon", starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=4), latitude=38.71, longitude=-9.14,
    )  # fmt: skip


@pytest.fixture
def later_today(tour, tour_staff):
    now = timezone.now()
    return save_stop(
        tour, tour_staff, venue="Arc Store Porto", address="Rua de Santa Catarina 2",
        city="Porto", time_zone_name="Europe/Lisbon", starts_at=now + timedelta(hours=6),
        ends_at=now + timedelta(hours=9),
    )  # fmt: skip


def png(width: int = 64, height: int = 48) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(data, "PNG")
    return SimpleUploadedFile("stand.png", data.getvalue(), content_type="image/png")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_picks_the_stop_that_is_live_now(tour_staff, live_stop, later_today, stop):
    stops = list(stops_of_today())
    assert stops == [live_stop, later_today]  # the stop in two days is not today's
    assert current_stop(stops) == live_stop
    page = login(tour_staff).get(LIVE).content.decode()
    assert f'id="live-stop" data-stop="{live_stop.pk}"' in page
    assert "<strong>live</strong>" in page
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    chosen = login(tour_staff).get(LIVE, {"stop": later_today.pk}).content.decode()
    assert f'id="live-stop" data-stop="{later_today.pk}"' in chosen


def test_no_stop_today_says_so(tour_staff, stop):
    page = login(tour_staff).get(LIVE).content.decode()
    assert 'id="no-stops"' in page


def test_staff_post_text_and_a_photo(tour_staff, live_stop):
    response = login(tour_staff).post(
        LIVE,
        {"stop": live_stop.pk, "text": "The queue goes **round the block**!", "photo": png(),
         "photo_alt": "A queue outside the store"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{LIVE}?stop={live_stop.pk}"
    update = LiveUpdate.objects.get(stop=live_stop)
    assert update.author == tour_staff
    assert "<strong>round the block</strong>" in update.text_html
    assert update.photo.alt == "A queue outside the store"
    assert update.photo.width == 64
    assert update.blog_post is None
    page = login(tour_staff).get(response["Location"]).content.decode()
    assert f'id="update-{update.pk}"' in page
    assert 'alt="A queue outside the store"' in page and update.photo.image.url in page


def test_a_broken_photo_is_refused_and_nothing_is_kept(tour_staff, live_stop):
    junk = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = login(tour_staff).post(LIVE, {"stop": live_stop.pk, "text": "Hi", "photo": junk})
    assert response.status_code == 200
    assert "The photo was not taken" in response.content.decode()
    assert not LiveUpdate.objects.exists() and not Photo.objects.exists()


def test_cross_post_as_a_blog_post(tour_staff, live_stop):
    response = login(tour_staff).post(
        LIVE,
        {"stop": live_stop.pk, "text": "Lisbon loves the Strata 7 camera.", "photo": png(),
         "cross_post": "on", "post_title": ""},
        follow=True,
    )  # fmt: skip
    assert "published on the blog" in response.content.decode()
    update = LiveUpdate.objects.get(stop=live_stop)
    post = update.blog_post
    assert post.status == Post.Status.PUBLISHED
    assert post.title == "40 stores in 40 days: live from Arc Store Lisboa, Lisbon"
    assert post.author.user == tour_staff
    assert post.cover == update.photo
    assert live_stop.get_absolute_url() in post.body
    assert {t.name for t in post.tags.all()} == {"Tour", "40 stores in 40 days"}


def test_without_blog_rights_text_only_and_the_page_says_so(db, django_user_model, live_stop):
    organiser = django_user_model.objects.create_user("organiser")
    organiser.user_permissions.add(Permission.objects.get(codename="manage_tours"))
    page = login(organiser).get(LIVE).content.decode()
    assert 'id="no-blog"' in page and 'type="file"' not in page
    with pytest.raises(TourError, match="cannot publish blog posts"):
        post_live_update(live_stop, organiser, text="Hello", cross_post=True)
    update = post_live_update(live_stop, organiser, text="Hello from the stand")
    assert update.blog_post is None and update.photo is None


@pytest.mark.parametrize(
    ("text", "message"), [("  ", "empty"), ("x" * 5_001, "at most"), ("a\x00b", "at most")]
)
def test_bad_text_is_refused(tour_staff, live_stop, text, message):
    with pytest.raises(TourError, match=message):
        post_live_update(live_stop, tour_staff, text=text)


def test_a_cancelled_or_far_away_stop_takes_no_updates(tour_staff, live_stop, stop):
    with pytest.raises(TourError, match="not started yet"):
        post_live_update(stop, tour_staff, text="Too early")
    cancel_stop(live_stop, tour_staff)
    with pytest.raises(TourError, match="cancelled"):
        post_live_update(live_stop, tour_staff, text="Too late")


def test_only_tour_staff_post(db, django_user_model, live_stop):
    someone = django_user_model.objects.create_user("someone")
    with pytest.raises(TourError, match="Only staff"):
        post_live_update(live_stop, someone, text="Hi")


def test_deleting_an_update_takes_its_cross_post_back_to_draft(tour_staff, live_stop):
    update = post_live_update(live_stop, tour_staff, text="A mistake", photo=png(), cross_post=True)
    post = update.blog_post
    response = login(tour_staff).post(reverse("events-console:live-delete", args=[update.pk]))
    assert response.status_code == 302
    assert not LiveUpdate.objects.filter(pk=update.pk).exists()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert Photo.objects.filter(pk=update.photo_id).exists()  # the draft still shows it


def test_deleting_an_update_without_a_post_deletes_its_photo(tour_staff, live_stop):
    update = post_live_update(live_stop, tour_staff, text="Blurry", photo=png())
    delete_live_update(update, tour_staff)
    assert not Photo.objects.exists()
