from datetime import timedelta

import pytest
from django.utils import timezone

from earful.events.actions.feedback import submit_feedback
from earful.events.errors import TourError
from earful.events.models import Feedback
from earful.river.models import Mention


def during(stop):
    return stop.starts_at + timedelta(hours=1)


def test_feedback_enters_the_river_titled_with_its_stop(stop):
    feedback = submit_feedback(
        stop, text="Great demo of the Arc 5 camera, staff were lovely", rating=5,
        name="Jo", email="jo@example.org", now=during(stop),
    )  # fmt: skip
    mention = Mention.objects.get(pk=feedback.mention_id)
    assert mention.source.name == "Tours" and mention.owned
    assert "Arc Store Mitte" in mention.title and "(5/5)" in mention.title
    assert mention.url.endswith(stop.get_absolute_url())
    assert mention.sentiment == "positive"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * 2001}, "at most"),
        ({"text": "ok\x00"}, "at most"),
        ({"text": "ok", "rating": 6}, "1 to 5"),
        ({"text": "ok", "rating": "five"}, "1 to 5"),
        ({"text": "ok", "email": "not-an-address"}, "e-mail"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_stored(stop, fields, message):
    with pytest.raises(TourError, match=message):
        submit_feedback(stop, now=during(stop), **fields)
    assert not Feedback.objects.exists() and not Mention.objects.filter(owned=True).exists()


def test_feedback_opens_at_the_start_and_closes_two_weeks_after(stop):
    with pytest.raises(TourError, match="opens"):
        submit_feedback(stop, text="early", now=stop.starts_at - timedelta(minutes=1))
    with pytest.raises(TourError, match="opens"):
        submit_feedback(stop, text="late", now=stop.ends_at + timedelta(days=15))
    assert submit_feedback(stop, text="just in time", now=stop.ends_at + timedelta(days=13))


def test_feedback_is_rate_limited_per_address(stop, settings):
    settings.EARFUL_TOUR_FEEDBACK_RATE = "2/m"
    for _ in range(2):
        submit_feedback(stop, text="hello there", address="203.0.113.9", now=during(stop))
    with pytest.raises(TourError, match="try again"):
        submit_feedback(stop, text="hello again", address="203.0.113.9", now=during(stop))
    submit_feedback(stop, text="from elsewhere", address="198.51.100.1", now=during(stop))
    assert Feedback.objects.count() == 3


def test_no_feedback_on_a_cancelled_stop(stop, tour_staff):
    from earful.events.actions.tours import cancel_stop

    cancel_stop(stop, tour_staff)
    with pytest.raises(TourError):
        submit_feedback(stop, text="hm", now=timezone.now())


def test_the_stop_page_says_until_when_feedback_is_open(client, stop, monkeypatch):
    from earful.events import views

    monkeypatch.setattr(views.timezone, "now", lambda: during(stop))
    page = client.get(stop.get_absolute_url()).content.decode()
    closes = timezone.localtime(stop.ends_at + timedelta(days=14), stop.starts_at.tzinfo)
    assert f"open until {closes:%a} {closes.day} {closes:%b %Y, %H:%M}" in page
