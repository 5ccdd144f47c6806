"""A tour's calendar file, read back with the icalendar package as a calendar app would, and
its Atom feed read with feedparser."""

from datetime import UTC, datetime, timedelta

import feedparser
import icalendar
import pytest
from django.utils import timezone

from earful.events.actions.tours import cancel_stop, create_tour, save_stop
from earful.events.models import LiveUpdate, Stop


def add_stop(tour, user, *, starts, hours=4, zone="Europe/Berlin", **fields):
    values = {"venue": "Store", "address": "Main St 1", "city": "Berlin"} | fields
    return save_stop(
        tour,
        user,
        time_zone_name=zone,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        **values,
    )


def calendar_of(client, tour) -> icalendar.Calendar:
    response = client.get(f"{tour.get_absolute_url()}calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_one_event_per_stop_with_place_link_and_status(tour, tour_staff, client, settings):
    settings.EARFUL_SITE_URL = "https://events.example.com"
    main = add_stop(
        tour, tour_staff, venue="Arc Store Mitte", address="Rosenthaler Str. 1",
        starts=datetime(2031, 5, 10, 10, 0), latitude=52.5291, longitude=13.4019,
        description="Try the **Arc 5** camera.",
    )  # fmt: skip
    van = add_stop(tour, tour_staff, venue="Popup Van", starts=datetime(2031, 5, 11, 9, 0))
    cancel_stop(van, tour_staff)

    calendar = calendar_of(client, tour)

    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == tour.title
    events = events_by_uid(calendar)
    assert set(events) == {
        f"tour-stop-{main.pk}@events.example.com",
        f"tour-stop-{van.pk}@events.example.com",
    }
    event = events[f"tour-stop-{main.pk}@events.example.com"]
    assert str(event["SUMMARY"]) == f"{tour.title}: Arc Store Mitte"
    assert str(event["LOCATION"]) == "Arc Store Mitte, Rosenthaler Str. 1, Berlin"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (52.5291, 13.4019)
    assert str(event["URL"]) == f"https://events.example.com{main.get_absolute_url()}"
    assert "Arc 5" in str(event["DESCRIPTION"]) and str(event["URL"]) in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("LAST-MODIFIED") == main.updated_at.replace(microsecond=0)
    cancelled = events[f"tour-stop-{van.pk}@events.example.com"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Cancelled:") and "GEO" not in cancelled


def test_times_carry_the_venues_zone_and_convert_right_across_dst(tour, tour_staff, client):
    # Before and after Europe's clocks go forward (2031-03-30), and a US venue in summer.
    stops = [
        add_stop(tour, tour_staff, starts=datetime(2031, 3, 29, 20, 0), zone="Europe/Berlin"),
        add_stop(tour, tour_staff, starts=datetime(2031, 3, 30, 20, 0), zone="Europe/Berlin"),
        add_stop(tour, tour_staff, starts=datetime(2031, 7, 4, 11, 0), zone="America/New_York"),
        add_stop(tour, tour_staff, starts=datetime(2031, 12, 1, 9, 30), zone="Asia/Kolkata"),
    ]

    calendar = calendar_of(client, tour)

    zones = {str(vtimezone["TZID"]): vtimezone.to_tz() for vtimezone in calendar.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/Berlin", "America/New_York", "Asia/Kolkata"}
    events = list(calendar.walk("VEVENT"))
    expected_utc = [
        datetime(2031, 3, 29, 19, 0, tzinfo=UTC),  # CET, +01:00
        datetime(2031, 3, 30, 18, 0, tzinfo=UTC),  # CEST, +02:00
        datetime(2031, 7, 4, 15, 0, tzinfo=UTC),  # EDT, -04:00
        datetime(2031, 12, 1, 4, 0, tzinfo=UTC),  # IST, +05:30
    ]
    for stop, event, utc in zip(stops, events, expected_utc, strict=True):
        start, end = event["DTSTART"], event["DTEND"]
        assert start.params["TZID"] == stop.time_zone == end.params["TZID"]
        assert start.dt.astimezone(UTC) == utc == stop.starts_at
        assert end.dt.astimezone(UTC) == stop.ends_at
        # A calendar app that only trusts the file's own VTIMEZONE gets the same moment.
        wall_clock = start.dt.replace(tzinfo=None)
        assert wall_clock.replace(tzinfo=zones[stop.time_zone]).astimezone(UTC) == utc


def test_every_tzid_has_its_vtimezone_and_utc_zones_need_none(tour, tour_staff, client):
    add_stop(tour, tour_staff, starts=datetime(2031, 2, 1, 10, 0), zone="Atlantic/Reykjavik")
    add_stop(tour, tour_staff, starts=datetime(2031, 2, 2, 10, 0), zone="UTC")
    add_stop(tour, tour_staff, starts=datetime(2031, 2, 3, 10, 0), zone="Europe/London")

    calendar = calendar_of(client, tour)

    used = {
        event[name].params["TZID"]
        for event in calendar.walk("VEVENT")
        for name in ("DTSTART", "DTEND")
        if "TZID" in event[name].params
    }
    assert used == {"Europe/London"}
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    starts = sorted(event.decoded("DTSTART").astimezone(UTC) for event in calendar.walk("VEVENT"))
    assert [moment.hour for moment in starts] == [10, 10, 10]  # all three are UTC+0 in February


def test_uid_stays_and_sequence_grows_when_a_stop_changes(tour, tour_staff, client):
    stop = add_stop(tour, tour_staff, starts=datetime(2031, 6, 1, 10, 0))
    stop.created_at -= timedelta(minutes=5)  # the stop was made a while ago
    stop.updated_at -= timedelta(minutes=4)
    stop.save(update_fields=["created_at", "updated_at"])
    before = events_by_uid(calendar_of(client, tour))

    save_stop(
        tour, tour_staff, stop=stop, venue="Store", address="Main St 2",
        time_zone_name="Europe/Berlin", starts_at=datetime(2031, 6, 1, 12, 0),
        ends_at=datetime(2031, 6, 1, 16, 0),
    )  # fmt: skip
    after = events_by_uid(calendar_of(client, tour))

    assert before.keys() == after.keys()
    (uid,) = after
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid].decoded("DTSTART").hour == 12
    assert after[uid].decoded("LAST-MODIFIED") > before[uid].decoded("LAST-MODIFIED")


def test_the_calendar_is_cacheable_and_stable_between_requests(tour, stop, client):
    first = client.get(f"{tour.get_absolute_url()}calendar.ics")
    second = client.get(f"{tour.get_absolute_url()}calendar.ics")

    assert first.content == second.content  # DTSTAMP is the last change, not "now"
    assert "public" in first["Cache-Control"]
    again = client.get(f"{tour.get_absolute_url()}calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_one_stop_calendar_for_add_to_calendar(tour, stop, client):
    response = client.get(f"{stop.get_absolute_url()}calendar.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == stop.starts_at
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_an_empty_tour_is_a_valid_empty_calendar(tour_staff, client):
    from earful.events.actions.tours import update_tour

    empty = update_tour(create_tour(tour_staff, title="Soon"), tour_staff, published=True)

    calendar = calendar_of(client, empty)

    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_the_atom_feed_has_stops_and_live_updates_newest_first(tour, tour_staff, client):
    now = timezone.now()
    first = add_stop(tour, tour_staff, venue="First Store", starts=now - timedelta(hours=1))
    second = add_stop(tour, tour_staff, venue="Second Store", starts=now + timedelta(days=3))
    third = add_stop(tour, tour_staff, venue="Third Store", starts=now + timedelta(days=6))
    cancel_stop(second, tour_staff)
    update = LiveUpdate.objects.create(
        stop=first, author=tour_staff, text="Queue <b>around</b> the block"
    )
    # In this order: the first stop added, an update from it, the third added, the second
    # cancelled.
    minute = timedelta(minutes=1)
    Stop.objects.filter(pk=first.pk).update(updated_at=now - 4 * minute)
    LiveUpdate.objects.filter(pk=update.pk).update(created_at=now - 3 * minute)
    Stop.objects.filter(pk=third.pk).update(updated_at=now - 2 * minute)
    Stop.objects.filter(pk=second.pk).update(updated_at=now - minute)

    response = client.get(f"{tour.get_absolute_url()}feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.feed.title == tour.title
    titles = [entry.title for entry in feed.entries]
    assert titles[0].startswith("Cancelled: Second Store")
    assert titles[1].startswith("Third Store")
    assert titles[2] == "Live from First Store"
    assert titles[3].startswith("First Store")
    live = feed.entries[2]
    assert live.link.endswith(f"{first.get_absolute_url()}#update-{update.pk}")
    assert "Queue &lt;b&gt;around&lt;/b&gt; the block" in live.summary
    assert len({entry.id for entry in feed.entries}) == 4
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["calendar.ics", "feed.atom"])
def test_feeds_of_unknown_tours_are_not_found(client, db, path):
    assert client.get(f"/tours/nope/{path}").status_code == 404


def test_the_atom_feed_keeps_the_latest_fifty_changes(tour, client):
    now = timezone.now()
    Stop.objects.bulk_create(
        Stop(
            tour=tour, venue=f"Store {n}", address="Main St", time_zone="Europe/Berlin",
            starts_at=now + timedelta(days=n), ends_at=now + timedelta(days=n, hours=4),
            updated_at=now - timedelta(minutes=n),
        )
        for n in range(55)
    )  # fmt: skip

    feed = feedparser.parse(client.get(f"{tour.get_absolute_url()}feed.atom").content)

    assert [entry.title.split(" · ")[0] for entry in feed.entries] == [
        f"Store {n}" for n in range(50)
    ]
