"""The staff's merge form on the idea page, for anonymous visitors, customers and staff."""

import pytest
from django.test import Client
from django.urls import reverse

from earful.board.actions.votes import vote
from earful.board.models import Idea, Merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_idea):
    return make_idea("Export the reports as CSV files"), make_idea("Export reports to CSV")


def test_staff_see_the_form_with_similar_ideas_as_targets(client, staff, pair):
    duplicate, survivor = pair
    client.force_login(staff)
    page = client.get(duplicate.get_absolute_url())
    assert b"Merge this idea into another" in page.content
    assert f'name="target" value="{survivor.pk}"'.encode() in page.content


def test_customers_and_visitors_see_no_form_and_are_refused(client, customer, pair):
    duplicate, survivor = pair
    url = reverse("board:merge", args=[duplicate.pk])
    assert b"Merge this idea" not in client.get(duplicate.get_absolute_url()).content
    anonymous = client.post(url, {"into": survivor.pk})
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client.force_login(customer)
    assert b"Merge this idea" not in client.get(duplicate.get_absolute_url()).content
    assert client.post(url, {"into": survivor.pk}).status_code == 403
    assert client.get(url).status_code == 405
    assert not Merge.objects.exists()


def test_staff_merge_by_target_and_the_duplicate_redirects(client, staff, customer, pair):
    duplicate, survivor = pair
    vote(duplicate, customer)
    client.force_login(staff)
    response = client.post(
        reverse("board:merge", args=[duplicate.pk]),
        {"target": survivor.pk, "note": "The <b>same</b> idea."},
    )
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    client.logout()
    moved = client.get(duplicate.get_absolute_url())
    assert moved.status_code == 301 and moved["Location"] == survivor.get_absolute_url()
    page = client.get(survivor.get_absolute_url())
    assert f"merged #{duplicate.pk}".encode() in page.content
    assert b"Export the reports as CSV files" in page.content
    assert b"&lt;b&gt;same&lt;/b&gt;" in page.content or b"<b>same</b>" not in page.content
    assert b'<strong id="vote-count">1</strong>' in page.content


def test_staff_merge_by_number_and_errors_are_shown_back(client, staff, pair):
    duplicate, survivor = pair
    client.force_login(staff)
    url = reverse("board:merge", args=[duplicate.pk])
    for data, error in [
        ({}, b"Choose the idea to merge this one into"),
        ({"into": "twelve"}, b"such as #12"),
        ({"into": "#999999"}, b"There is no idea #999999"),
        ({"into": f"#{duplicate.pk}"}, b"cannot be merged into itself"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and error in response.content, data
    assert not Merge.objects.exists()
    response = client.post(url, {"into": f"# {survivor.pk}", "target": duplicate.pk})
    assert response.status_code == 302  # the number typed wins over the radio button
    assert Idea.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk


def test_the_merge_form_needs_the_csrf_token(staff, pair):
    duplicate, survivor = pair
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("board:merge", args=[duplicate.pk]), {"into": survivor.pk})
    assert response.status_code == 403 and not Merge.objects.exists()
