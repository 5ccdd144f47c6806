"""Stop times as a calendar app reads them: a wall-clock time the clocks skip is refused
with the gap named, one that happens twice is its first occurrence, windows are measured
between real instants, years are bounded; rows from before the bounds never break a public
page; a stop is not deleted while one of its announcements is being sent."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earful.events.actions.tours import delete_stop, save_stop
from earful.events.errors import TourError
from earful.events.models import Announcement, AnnouncementAttempt, Stop

pytestmark = pytest.mark.django_db

BERLIN = "Europe/Berlin"


def add(tour, user, starts, ends, zone=BERLIN, **fields):
    return save_stop(
        tour, user, venue="Store", address="Main St 1", time_zone_name=zone,
        starts_at=starts, ends_at=ends, **fields,
    )  # fmt: skip


@pytest.fixture
def staff(tour_staff) -> Client:
    client = Client()
    client.force_login(tour_staff)
    return client


def post_stop(staff, tour, **changes):
    data = {
        "venue": "Arc Store Mitte",
        "address": "Rosenthaler Str. 1",
        "city": "Berlin",
        "time_zone": BERLIN,
        "starts_at": "2031-05-01T10:00",
        "ends_at": "2031-05-01T18:00",
        "latitude": "",
        "longitude": "",
        "description": "",
        "save": "1",
    } | changes
    return staff.post(reverse("events-console:stop-new", args=[tour.slug]), data)


# --- clocks going forward and back ----------------------------------------------------


def test_a_time_the_clocks_skip_is_refused_naming_the_gap(staff, tour):
    response = post_stop(staff, tour, starts_at="2031-03-30T02:30", ends_at="2031-03-30T03:15")
    assert response.status_code == 200
    assert (
        "02:30 does not exist on 30 March 2031 in Europe/Berlin: clocks go from 02:00 to 03:00."
        in response.content.decode()
    )
    assert not tour.stops.exists()


def test_an_end_in_the_gap_is_refused_too(tour, tour_staff):
    with pytest.raises(TourError, match="02:15 does not exist on 30 March 2031"):
        add(tour, tour_staff, datetime(2031, 3, 30, 1, 0), datetime(2031, 3, 30, 2, 15))


def test_the_gap_is_named_in_any_zone(tour, tour_staff):
    # New York springs forward at 02:00 on 9 March 2031.
    with pytest.raises(TourError, match="clocks go from 02:00 to 03:00") as refused:
        add(
            tour, tour_staff, datetime(2031, 3, 9, 2, 59), datetime(2031, 3, 9, 9, 0),
            zone="America/New_York",
        )  # fmt: skip
    assert "02:59 does not exist on 9 March 2031 in America/New_York" in str(refused.value)


def test_a_skipped_day_names_both_dates(tour, tour_staff):
    # Samoa skipped 30 December 2011 when it crossed the date line.
    with pytest.raises(TourError, match="on 30 December 2011 to 00:00 on 31 December 2011"):
        add(
            tour, tour_staff, datetime(2011, 12, 30, 12, 0), datetime(2011, 12, 31, 12, 0),
            zone="Pacific/Apia",
        )  # fmt: skip


def test_a_time_that_happens_twice_is_the_first_one(tour, tour_staff):
    # Berlin's clocks go back from 03:00 CEST to 02:00 CET on 26 October 2031.
    stop = add(tour, tour_staff, datetime(2031, 10, 26, 2, 30), datetime(2031, 10, 26, 4, 0))
    stop.refresh_from_db()  # in UTC: a zone's own datetimes compare by the wall clock
    assert stop.starts_at == datetime(2031, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert stop.ends_at - stop.starts_at == timedelta(hours=2, minutes=30)


def test_the_window_is_measured_in_real_time(tour, tour_staff):
    # 14 days and 30 minutes on the wall clock, but the clocks skip an hour in between.
    stop = add(tour, tour_staff, datetime(2031, 3, 16, 3, 0), datetime(2031, 3, 30, 3, 30))
    stop.refresh_from_db()
    assert stop.ends_at - stop.starts_at == timedelta(days=13, hours=23, minutes=30)
    # From 02:45 CEST to 02:15 CET: earlier on the wall clock, half an hour later in fact.
    zone = ZoneInfo(BERLIN)
    night = add(
        tour, tour_staff,
        datetime(2031, 10, 26, 2, 45, tzinfo=zone),
        datetime(2031, 10, 26, 2, 15, tzinfo=zone, fold=1),
    )  # fmt: skip
    night.refresh_from_db()
    assert night.ends_at - night.starts_at == timedelta(minutes=30)
    # And the other way round: 02:15 CET is after 02:45 CEST, though earlier on the clock.
    with pytest.raises(TourError, match="ends after it starts"):
        add(
            tour, tour_staff,
            datetime(2031, 10, 26, 2, 15, tzinfo=zone, fold=1),
            datetime(2031, 10, 26, 2, 45, tzinfo=zone),
        )  # fmt: skip


def test_aware_times_keep_their_instant(tour, tour_staff):
    second = datetime(2031, 10, 26, 2, 30, tzinfo=ZoneInfo(BERLIN), fold=1)  # 02:30 CET
    stop = add(tour, tour_staff, second, second + timedelta(hours=1))
    stop.refresh_from_db()
    assert stop.starts_at == datetime(2031, 10, 26, 1, 30, tzinfo=UTC)


def test_the_calendar_writes_the_second_occurrence_as_utc(tour, tour_staff, client):
    second = datetime(2031, 10, 26, 1, 30, tzinfo=UTC)  # 02:30 CET, the second 02:30
    stop = add(tour, tour_staff, second, second + timedelta(hours=2))
    stop.refresh_from_db()
    calendar = icalendar.Calendar.from_ical(
        client.get(f"{tour.get_absolute_url()}calendar.ics").content
    )
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == stop.starts_at and "TZID" not in event["DTSTART"].params
    assert event["DTEND"].params["TZID"] == BERLIN  # 04:30 happens once


# --- years ------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", [BERLIN, "Pacific/Pago_Pago", "Pacific/Kiritimati", "UTC"])
@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("0001-01-01T00:00", "0001-01-01T02:00"),
        ("9999-12-31T20:00", "9999-12-31T23:59"),
        ("1999-12-31T20:00", "1999-12-31T23:00"),
        ("3000-01-01T10:00", "3000-01-01T12:00"),
    ],
)
def test_years_out_of_bounds_are_a_form_error(staff, tour, zone, starts, ends):
    response = post_stop(staff, tour, time_zone=zone, starts_at=starts, ends_at=ends)
    assert response.status_code == 200
    assert "Stop times are between the years 2000 and 2999." in response.content.decode()
    assert not tour.stops.exists()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (datetime(1, 1, 1, 0, 0), datetime(1, 1, 1, 2, 0)),
        (datetime(9999, 12, 31, 20, 0), datetime(9999, 12, 31, 23, 59)),
        (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(1, 1, 1, 2, 0, tzinfo=UTC)),
        (datetime.max.replace(tzinfo=UTC) - timedelta(hours=2), datetime.max.replace(tzinfo=UTC)),
    ],
)
@pytest.mark.parametrize("zone", [BERLIN, "Pacific/Pago_Pago", "Pacific/Kiritimati"])
def test_the_action_bounds_years_for_every_caller(tour, tour_staff, zone, starts, ends):
    with pytest.raises(TourError, match="between the years 2000 and 2999"):
        add(tour, tour_staff, starts, ends, zone=zone)
    assert not tour.stops.exists()


def test_the_edges_of_the_years_work_on_every_page(tour, tour_staff, client):
    first = add(
        tour, tour_staff, datetime(2000, 1, 1, 0, 0), datetime(2000, 1, 1, 2, 0),
        zone="Pacific/Pago_Pago",
    )  # fmt: skip
    last = add(
        tour, tour_staff, datetime(2999, 12, 31, 20, 0), datetime(2999, 12, 31, 23, 59),
        zone="Pacific/Kiritimati",
    )  # fmt: skip
    for path in public_pages(tour, first, last):
        assert client.get(path).status_code == 200, path
    calendar = icalendar.Calendar.from_ical(
        client.get(f"{tour.get_absolute_url()}calendar.ics").content
    )
    assert len(calendar.walk("VEVENT")) == 2


# --- rows from before the bounds --------------------------------------------------------


def public_pages(tour, *stops):
    base = tour.get_absolute_url()
    pages = [base, f"{base}calendar.ics", f"{base}feed.atom", reverse("events:index")]
    for stop in stops:
        url = stop.get_absolute_url()
        pages += [url, f"{url}calendar.ics"]
    return pages


@pytest.mark.parametrize(
    ("zone", "starts", "ends"),
    [
        ("Pacific/Kiritimati", datetime(9999, 12, 31, 6, 0), datetime(9999, 12, 31, 9, 59)),
        ("Pacific/Kiritimati", datetime(9999, 12, 31, 20, 0), datetime(9999, 12, 31, 23, 59)),
        ("Pacific/Pago_Pago", datetime(1, 1, 1, 0, 0), datetime(1, 1, 1, 2, 0)),
        ("America/New_York", datetime(1, 1, 1, 0, 0), datetime(1, 1, 1, 2, 0)),
    ],
)
def test_old_rows_out_of_bounds_never_break_a_public_page(
    tour, tour_staff, stop, client, zone, starts, ends
):
    odd = Stop.objects.create(
        tour=tour, venue="Edge of time", address="Nowhere 1", time_zone=zone,
        starts_at=starts.replace(tzinfo=UTC), ends_at=ends.replace(tzinfo=UTC),
    )  # fmt: skip
    for path in public_pages(tour, stop, odd):
        response = client.get(path)
        assert response.status_code == 200, path
    calendar = icalendar.Calendar.from_ical(
        client.get(f"{tour.get_absolute_url()}calendar.ics").content
    )
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [f"{tour.title}: {stop.venue}"]


@pytest.mark.parametrize(
    ("zone", "starts", "ends"),
    [
        ("Pacific/Kiritimati", datetime(9999, 12, 31, 20, 0), datetime(9999, 12, 31, 23, 59)),
        ("Pacific/Pago_Pago", datetime(1, 1, 1, 0, 0), datetime(1, 1, 1, 2, 0)),
    ],
)
def test_old_rows_out_of_bounds_never_break_a_console_page(staff, tour, stop, zone, starts, ends):
    odd = Stop.objects.create(
        tour=tour, venue="Edge of time", address="Nowhere 1", time_zone=zone,
        starts_at=starts.replace(tzinfo=UTC), ends_at=ends.replace(tzinfo=UTC),
    )  # fmt: skip
    for name, args in (
        ("events-console:tour", [tour.slug]),
        ("events-console:stop-new", [tour.slug]),
        ("events-console:stop-edit", [tour.slug, odd.pk]),
        ("events-console:announcements", [tour.slug]),
        ("events-console:feedback", [tour.slug]),
        ("events-console:stop-feedback", [tour.slug, odd.pk]),
        ("events-console:live", []),
    ):
        assert staff.get(reverse(name, args=args)).status_code == 200, name


def test_the_feedback_window_of_an_old_row_ends_within_the_calendar(tour):
    from earful.events.actions.feedback import feedback_closes_at, open_for_feedback

    odd = Stop.objects.create(
        tour=tour, venue="Edge of time", address="Nowhere 1", time_zone="Pacific/Kiritimati",
        starts_at=datetime(9999, 12, 31, 6, 0, tzinfo=UTC),
        ends_at=datetime(9999, 12, 31, 9, 59, tzinfo=UTC),
    )  # fmt: skip
    assert feedback_closes_at(odd) >= odd.ends_at
    assert not open_for_feedback(odd, timezone.now())


# --- deleting a stop while it is announced ----------------------------------------------


def test_a_stop_is_not_deleted_while_an_announcement_is_being_sent(staff, tour, stop):
    sending = stop.announcements.first()
    Announcement.objects.filter(pk=sending.pk).update(state="sending", claimed_at=timezone.now())
    AnnouncementAttempt.objects.create(announcement=sending, ok=False, detail="timeout")
    response = staff.post(
        reverse("events-console:stop-delete", args=[tour.slug, stop.pk]), follow=True
    )
    assert response.status_code == 200
    assert "is being sent right now" in response.content.decode()
    assert Stop.objects.filter(pk=stop.pk).exists()
    assert AnnouncementAttempt.objects.filter(announcement=sending).exists()
    # Nothing changed: the other announcement is still scheduled, not cancelled.
    states = sorted(stop.announcements.values_list("state", flat=True))
    assert states == ["scheduled", "sending"]


def test_a_stop_whose_announcements_are_unsent_is_deleted(tour_staff, stop):
    Announcement.objects.filter(stop=stop).update(state="failed")
    delete_stop(stop, tour_staff)
    assert not Stop.objects.filter(pk=stop.pk).exists()
    assert not Announcement.objects.exists()
