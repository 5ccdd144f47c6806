"""Shared events fixtures: staff who manage tours, a published tour with channels, a stop."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def tour_staff(user_with_roles):
    return user_with_roles("author", username="maya")


@pytest.fixture
def channels(db):
    from earful.events.models import Channel

    return [
        Channel.objects.create(
            name="Mastodon", kind="mastodon", config={"instance": "https://m.example", "token": "t"}
        ),
        Channel.objects.create(
            name="Hook", kind="webhook", config={"url": "https://hooks.example/in", "secret": "s"}
        ),
    ]


@pytest.fixture
def tour(tour_staff, channels):
    from earful.events.actions.tours import create_tour, update_tour

    made = create_tour(tour_staff, title="40 stores in 40 days", announce_hours_before=24)
    return update_tour(made, tour_staff, published=True, channels=channels)


@pytest.fixture
def in_two_days():
    soon = timezone.now() + timedelta(days=2)
    return datetime(soon.year, soon.month, soon.day, 10, 0)  # wall clock at the venue


@pytest.fixture
def stop(tour, tour_staff, in_two_days):
    from earful.events.actions.tours import save_stop

    return save_stop(
        tour,
        tour_staff,
        venue="Arc Store Mitte",
        address="Rosenthaler Str. 1",
        city="Berlin",
        time_zone_name="Europe/Berlin",
        starts_at=in_two_days,
        ends_at=in_two_days + timedelta(hours=8),
        latitude=52.5291,
        longitude=13.4019,
    )
