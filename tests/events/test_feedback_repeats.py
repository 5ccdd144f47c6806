"""The same feedback sent to the same stop again, from any address, is refused for a day
with a friendly word; dressing it up (case, spaces, punctuation, invisible or look-alike
characters) does not make it new, and distinct feedback is never lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earful.events.actions.feedback import submit_feedback
from earful.events.errors import TourError
from earful.events.models import Feedback

TEXT = "The demo of the Arc 5 camera was great, staff were lovely"


def during(stop):
    return stop.starts_at + timedelta(hours=1)


def send(stop, text, address="203.0.113.9", **fields):
    return submit_feedback(stop, text=text, address=address, now=during(stop), **fields)


@pytest.mark.parametrize(
    "repeat",
    [
        TEXT,
        TEXT.upper(),
        f"  {TEXT}  ",
        TEXT.replace(" ", "   "),
        TEXT.replace(" ", "\n\t"),
        TEXT.replace(" ", "\u00a0"),  # no-break spaces
        TEXT.replace("a", "a\u200b"),  # zero-width spaces
        TEXT.replace("e", "\uff45"),  # full-width look-alikes
        TEXT.replace(",", "") + "!!!",
        "\u202e" + TEXT,  # a direction mark
    ],
)
def test_a_repeat_from_another_address_is_refused(stop, repeat):
    send(stop, TEXT, address="203.0.113.9")
    with pytest.raises(TourError, match="already have this feedback"):
        send(stop, repeat, address="198.51.100.7", rating=5)
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "different",
    [
        TEXT.replace("great", "not great"),
        TEXT + " but the queue was long",
        "The demo of the Arc 6 camera was great, staff were lovely",
    ],
)
def test_different_feedback_is_kept(stop, different):
    send(stop, TEXT)
    send(stop, different, address="198.51.100.7")
    assert Feedback.objects.count() == 2


def test_the_same_text_on_another_stop_is_kept(stop, tour, tour_staff):
    from earful.events.actions.tours import save_stop

    other = save_stop(
        tour, tour_staff, venue="Arc Store Kreuzberg", address="Oranienstr. 1",
        time_zone_name="Europe/Berlin", starts_at=stop.starts_at, ends_at=stop.ends_at,
    )  # fmt: skip
    send(stop, TEXT)
    send(other, TEXT, address="198.51.100.7")
    assert Feedback.objects.count() == 2


def test_the_same_text_a_day_later_is_kept(stop):
    first = send(stop, TEXT)
    Feedback.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    send(stop, TEXT, address="198.51.100.7")
    assert Feedback.objects.count() == 2


def test_short_cheers_from_many_visitors_all_count(stop):
    for n in range(3):
        send(stop, "Great, thanks!", address=f"198.51.100.{n}")
    assert Feedback.objects.count() == 3


def test_the_stop_page_says_so_and_keeps_the_text(client, tour, tour_staff):
    from earful.events.actions.tours import save_stop

    now = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(0)).replace(tzinfo=None)
    stop = save_stop(
        tour, tour_staff, venue="Arc Store Mitte", address="Rosenthaler Str. 1",
        time_zone_name="UTC", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=4),
    )  # fmt: skip
    url = reverse("events:feedback", args=[stop.tour.slug, stop.pk])
    assert client.post(url, {"text": TEXT}).status_code == 302
    response = client.post(url, {"text": TEXT.lower()}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 400
    page = response.content.decode()
    assert "we already have this feedback for this stop" in page
    assert TEXT.lower() in page  # the form still holds what was typed
    assert Feedback.objects.count() == 1
