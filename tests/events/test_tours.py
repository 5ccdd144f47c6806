from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from earful.events.actions.tours import (
    cancel_stop,
    create_tour,
    delete_stop,
    save_stop,
    update_tour,
)
from earful.events.errors import TourError
from earful.events.models import Announcement


def test_stop_times_are_the_venues_wall_clock(stop, in_two_days):
    berlin_offset = timezone.localtime(stop.starts_at, stop.starts_at.tzinfo).utcoffset()
    assert stop.time_zone == "Europe/Berlin"
    assert stop.starts_at.utcoffset() == berlin_offset
    assert stop.starts_at.replace(tzinfo=None) == in_two_days


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone_name": "Mars/Olympus"}, "not a time zone"),
        ({"time_zone_name": ""}, "not a time zone"),
        ({"latitude": 91, "longitude": 0}, "Latitude"),
        ({"latitude": 10, "longitude": 181}, "Longitude"),
        ({"latitude": "nan", "longitude": 0}, "finite"),
        ({"latitude": "north", "longitude": 0}, "two numbers"),
        ({"venue": "  "}, "venue is empty"),
        ({"address": "x" * 301}, "at most"),
    ],
)
def test_bad_stops_are_refused_with_the_reason(tour, tour_staff, in_two_days, changes, message):
    fields = {
        "venue": "Store",
        "address": "Main St 1",
        "time_zone_name": "Europe/Paris",
        "starts_at": in_two_days,
        "ends_at": in_two_days + timedelta(hours=2),
    } | changes
    with pytest.raises(TourError, match=message):
        save_stop(tour, tour_staff, **fields)


def test_a_stop_ends_after_it_starts(tour, tour_staff, in_two_days):
    with pytest.raises(TourError, match="ends after"):
        save_stop(
            tour, tour_staff, venue="S", address="A", time_zone_name="UTC",
            starts_at=in_two_days, ends_at=in_two_days,
        )  # fmt: skip


def test_only_tour_staff_change_tours(db, django_user_model, tour):
    someone = django_user_model.objects.create_user("someone")
    with pytest.raises(TourError, match="Only staff"):
        create_tour(someone, title="Mine")
    with pytest.raises(TourError, match="Only staff"):
        update_tour(tour, someone, published=False)


def test_slugs_are_unique_with_a_clear_error(tour, tour_staff):
    with pytest.raises(TourError, match="already exists"):
        create_tour(tour_staff, title="40 stores in 40 days")


def test_unknown_template_fields_are_refused(tour_staff):
    with pytest.raises(TourError, match=r"\{venu\}"):
        create_tour(tour_staff, title="Typo tour", announcement_template="See you at {venu}")


def test_each_stop_is_announced_once_per_channel_ahead_of_time(stop, channels):
    planned = list(stop.announcements.order_by("channel__name"))
    assert [a.channel.name for a in planned] == ["Hook", "Mastodon"]
    for announcement in planned:
        assert announcement.send_at == stop.starts_at - timedelta(hours=24)
        assert "Arc Store Mitte" in announcement.text and "/tours/" in announcement.text
        assert announcement.state == Announcement.State.SCHEDULED


def test_moving_a_stop_moves_its_announcements_but_not_edited_texts(stop, tour, tour_staff):
    from earful.events.actions.announcements import edit_announcement

    hook = stop.announcements.get(channel__name="Hook")
    edit_announcement(hook, tour_staff, "Hand-written words")
    later = timezone.localtime(stop.starts_at, stop.starts_at.tzinfo).replace(tzinfo=None)
    save_stop(
        tour, tour_staff, stop=stop, venue="Arc Store Kreuzberg", address="Oranienstr. 2",
        time_zone_name="Europe/Berlin", starts_at=later + timedelta(days=1),
        ends_at=later + timedelta(days=1, hours=4),
    )  # fmt: skip
    hook.refresh_from_db()
    other = stop.announcements.get(channel__name="Mastodon")
    assert hook.text == "Hand-written words"
    assert "Kreuzberg" in other.text
    assert other.send_at == stop.starts_at - timedelta(hours=24)


def test_cancelling_and_unpublishing_cancel_what_was_not_sent(stop, tour, tour_staff):
    Announcement.objects.filter(channel__name="Hook").update(state="sent")
    cancel_stop(stop, tour_staff)
    states = dict(stop.announcements.values_list("channel__name", "state"))
    assert states == {"Hook": "sent", "Mastodon": "cancelled"}
    cancel_stop(stop, tour_staff, cancelled=False)
    assert stop.announcements.get(channel__name="Mastodon").state == "scheduled"
    update_tour(tour, tour_staff, published=False)
    assert stop.announcements.get(channel__name="Mastodon").state == "cancelled"
    with pytest.raises(TourError, match="already announced"):
        delete_stop(stop, tour_staff)


def test_a_late_stop_is_announced_now_and_a_past_one_not_at_all(tour, tour_staff):
    soon = timezone.now() + timedelta(hours=2)
    late = save_stop(
        tour, tour_staff, venue="Pop-up", address="Station", time_zone_name="UTC",
        starts_at=soon, ends_at=soon + timedelta(hours=1),
    )  # fmt: skip
    assert all(a.send_at <= timezone.now() for a in late.announcements.all())
    past = datetime(2020, 1, 1, 10, 0)
    gone = save_stop(
        tour, tour_staff, venue="Old", address="Gone", time_zone_name="UTC",
        starts_at=past, ends_at=past + timedelta(hours=1),
    )  # fmt: skip
    assert not gone.announcements.exists()


@pytest.mark.parametrize("slug", ["channels", "live", "new", "geocode"])
def test_slugs_of_console_pages_are_reserved(tour_staff, slug):
    with pytest.raises(TourError, match="taken by a page"):
        create_tour(tour_staff, title="A tour", slug=slug)
