"""Comparing stops by their feedback: volume, average rating and the river's sentiment
per stop, in one grouped query; the console page with its chart data and search links."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earful.events.actions.feedback import submit_feedback
from earful.events.actions.tours import save_stop
from earful.events.models import Feedback
from earful.events.stop_comparison import stop_feedback, tour_totals
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def past_stop(tour, user, venue: str, days_ago: int):
    start = timezone.now() - timedelta(days=days_ago)
    return save_stop(
        tour, user, venue=venue, address="Main St 1", city=venue.split()[-1],
        time_zone_name="UTC", starts_at=start, ends_at=start + timedelta(hours=6),
    )  # fmt: skip


def said(stop, text: str, rating, sentiment: str | None):
    feedback = submit_feedback(stop, text=text, rating=rating)
    if sentiment is None:
        Feedback.objects.filter(pk=feedback.pk).update(mention_id=None)
    else:
        Mention.objects.filter(pk=feedback.mention_id).update(sentiment=sentiment)
    return feedback


@pytest.fixture
def three_stops(tour, tour_staff):
    berlin = past_stop(tour, tour_staff, "Store Berlin", 5)
    hamburg = past_stop(tour, tour_staff, "Store Hamburg", 4)
    munich = past_stop(tour, tour_staff, "Store Munich", 3)
    said(berlin, "Lovely demo, friendly people", 5, "positive")
    said(berlin, "Great camera", 4, "positive")
    said(berlin, "Queue far too long", 2, "negative")
    said(hamburg, "Rain, but fine", None, "neutral")
    said(hamburg, "Not scored yet", 3, None)
    return berlin, hamburg, munich


def test_volume_rating_and_sentiment_per_stop(tour, three_stops, django_assert_num_queries):
    berlin, hamburg, munich = three_stops
    with django_assert_num_queries(2):  # one grouped query for the numbers, one for the stops
        rows = stop_feedback(tour)
    by_stop = {row.stop: row for row in rows}
    assert [row.stop for row in rows] == [berlin, hamburg, munich]
    b, h, m = by_stop[berlin], by_stop[hamburg], by_stop[munich]
    assert (b.count, b.rated, b.average_rating) == (3, 3, pytest.approx(11 / 3))
    assert b.sentiment == {"positive": 2, "neutral": 0, "negative": 1}
    assert b.net == pytest.approx(1 / 3)
    assert (h.count, h.rated, h.average_rating) == (2, 1, 3)
    assert h.sentiment == {"positive": 0, "neutral": 1, "negative": 0}
    assert h.scored == 1
    assert (m.count, m.average_rating, m.net) == (0, None, None)
    total = tour_totals(rows)
    assert (total.count, total.rated) == (5, 4)
    assert total.average_rating == pytest.approx(14 / 4)
    assert total.sentiment == {"positive": 2, "neutral": 1, "negative": 1}


def test_another_tours_feedback_does_not_count(tour, tour_staff, three_stops):
    from earful.events.actions.tours import create_tour, update_tour

    other = update_tour(create_tour(tour_staff, title="Other"), tour_staff, published=True)
    said(past_stop(other, tour_staff, "Store Paris", 2), "Bof", 1, "negative")
    assert sum(row.count for row in stop_feedback(tour)) == 5


def test_the_console_page_compares_stops(user_with_roles, tour, three_stops):
    berlin, hamburg, munich = three_stops
    admin = Client()
    admin.force_login(user_with_roles("admin"))
    response = admin.get(reverse("events-console:feedback", args=[tour.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="big" id="total-feedback">5</div>' in page
    row = page[page.index(f'data-stop="{berlin.pk}"') :].split("</tr>")[0]
    assert '<td class="n" data-count>3</td>' in row
    assert '<td class="n positive" data-positive>2</td>' in row
    assert "3.7" in row
    chart = json.loads(page.split('id="stop-chart-data" type="application/json">')[1].split("<")[0])
    assert chart["labels"][0].endswith("Store Berlin") and len(chart["labels"]) == 2
    assert chart["positive"] == [2, 0] and chart["unscored"] == [0, 1]
    assert "vendor/plotly.min.js" in page
    listed = reverse("events-console:stop-feedback", args=[tour.slug, berlin.pk])
    assert f'href="{listed}?sentiment=negative"' in row
    results = admin.get(listed, {"sentiment": "negative"}).content.decode()
    assert "Queue far too long" in results and "Great camera" not in results
    assert "in the river" in results


def test_a_stops_feedback_by_sentiment(user_with_roles, tour, tour_staff, three_stops):
    berlin, hamburg, munich = three_stops
    staff = Client()
    staff.force_login(tour_staff)
    url = reverse("events-console:stop-feedback", args=[tour.slug, hamburg.pk])
    page = staff.get(url).content.decode()
    assert "Rain, but fine" in page and "Not scored yet" in page and "Lovely demo" not in page
    unscored = staff.get(url, {"sentiment": "unscored"}).content.decode()
    assert "Not scored yet" in unscored and "Rain, but fine" not in unscored
    neutral = staff.get(url, {"sentiment": "neutral"}).content.decode()
    assert "Rain, but fine" in neutral and "Not scored yet" not in neutral
    for odd in ("mixed", "<script>", "positive'--", "x" * 5000):
        response = staff.get(url, {"sentiment": odd})
        assert response.status_code == 400 and "<script>" not in response.content.decode()
    assert staff.get(url, {"page": "999999"}).status_code == 200
    assert staff.get(url, {"page": "abc"}).status_code == 200
    other = reverse("events-console:stop-feedback", args=["no-such-tour", hamburg.pk])
    assert staff.get(other).status_code == 404
    assert (
        staff.get(reverse("events-console:stop-feedback", args=[tour.slug, 10**12])).status_code
        == 404
    )
    outsider = Client()
    outsider.force_login(user_with_roles("listener", username="lis"))
    assert outsider.get(url).status_code == 403


def test_feedback_pages_fifty_at_a_time(tour_staff, tour, three_stops):
    berlin = three_stops[0]
    for n in range(55):
        said(berlin, f"Feedback number {n:02d}", None, "neutral")
    staff = Client()
    staff.force_login(tour_staff)
    url = reverse("events-console:stop-feedback", args=[tour.slug, berlin.pk])
    first = staff.get(url).content.decode()
    assert first.count('class="result"') == 50 and "Feedback number 54" in first
    second = staff.get(url, {"page": 2}).content.decode()
    assert second.count('class="result"') == 8 and "Lovely demo" in second


def test_without_search_rights_there_are_no_river_links(tour_staff, tour, three_stops):
    staff = Client()
    staff.force_login(tour_staff)
    url = reverse("events-console:stop-feedback", args=[tour.slug, three_stops[0].pk])
    page = staff.get(url).content.decode()
    assert "Lovely demo" in page and "/console/mentions/" not in page
