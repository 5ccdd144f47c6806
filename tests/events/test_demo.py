"""The demo tour: forty real cities with coordinates and time zones, nine stops past with
feedback in the river and live updates, one live now, thirty to come; no channel sends;
seeding twice adds nothing."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from earful.events.demo import STOPS, seed_tours
from earful.events.models import Announcement, Channel, Feedback, LiveUpdate, Tour
from earful.events.stop_comparison import stop_feedback
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


# Seeded at any time of day: now, and just after midnight in Lyon (the live stop's venue).
@pytest.mark.parametrize(
    "moment",
    [None, datetime(2026, 12, 7, 23, 15, tzinfo=UTC), datetime(2026, 7, 1, 3, 0, tzinfo=UTC)],
)
def test_the_demo_tour(django_user_model, moment):
    now = moment or timezone.now()
    added = seed_tours(now)
    assert added == {"stops": 40, "feedback": 17, "updates": 7}
    tour = Tour.objects.get(slug="40-stores-in-40-days")
    assert tour.published and tour.title == "40 stores in 40 days"
    assert tour.created_by == django_user_model.objects.get(username="maya")
    stops = list(tour.stops.order_by("starts_at"))
    assert len(stops) == 40 == len({s.city for s in stops})
    phases = [s.phase(now) for s in stops]
    assert phases == ["past"] * 9 + ["live"] + ["upcoming"] * 30
    assert stops[0].city == "Berlin" and stops[-1].city == "New York"
    for stop in stops:
        assert stop.latitude is not None and stop.longitude is not None
        zone = zoneinfo.ZoneInfo(stop.time_zone)
        if stop is stops[9]:
            # Today's stop is stretched to be live whenever the demo is seeded: seeded
            # just after midnight at the venue, it opened at 23:00 the evening before.
            assert stop.starts_at <= now - timedelta(minutes=59) and stop.ends_at > now
        else:
            assert timezone.localtime(stop.starts_at, zone).hour == 10
    assert Feedback.objects.filter(stop__tour=tour, mention_id__isnull=True).count() == 0
    mentions = Mention.objects.filter(pk__in=Feedback.objects.values("mention_id"))
    assert mentions.count() == 17 and mentions.filter(sentiment="negative").exists()
    assert all(m.published_at <= now for m in mentions)
    assert LiveUpdate.objects.filter(stop=stops[9]).exists()  # Lyon, live today
    rows = stop_feedback(tour)
    assert sum(r.count for r in rows) == 17 and rows[0].count == 3
    hook = Channel.objects.get(kind="webhook")
    assert not hook.enabled and list(tour.channels.all()) == [hook]
    assert not Announcement.objects.exists()  # a disabled channel plans nothing


def test_seeding_twice_adds_nothing():
    seed_tours()
    assert seed_tours() == {"stops": 0, "feedback": 0, "updates": 0}
    assert Tour.objects.count() == 1 and Feedback.objects.count() == 17


def test_every_stop_is_a_real_place():
    for city, address, lat, lon, zone in STOPS:
        assert -90 <= lat <= 90 and -180 <= lon <= 180, city
        assert zoneinfo.ZoneInfo(zone), city
        assert address, city
