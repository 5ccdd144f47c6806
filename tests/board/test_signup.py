import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "nora",
    "email": "Nora@Example.org",
    "password1": "correct horse battery",
    "password2": "correct horse battery",
}


def test_a_customer_signs_up_is_logged_in_and_has_no_console_role(client, idea):
    response = client.post(reverse("board:signup"), {**GOOD, "next": idea.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    user = get_user_model().objects.get(username="nora")
    assert user.email == "nora@example.org"
    assert not user.groups.exists() and not user.is_staff
    assert not user.has_perm("accounts.manage_ideas")
    assert client.get(reverse("board:submit")).status_code == 200
    assert client.get(reverse("people")).status_code == 403


def test_bad_sign_ups_are_shown_back(client, customer):
    taken = client.post(reverse("board:signup"), {**GOOD, "email": customer.email})
    assert taken.status_code == 400 and b"already exists" in taken.content
    mismatch = client.post(reverse("board:signup"), {**GOOD, "password2": "something else"})
    assert mismatch.status_code == 400
    assert not get_user_model().objects.filter(username="nora").exists()


def test_an_outside_next_is_ignored(client):
    response = client.post(reverse("board:signup"), {**GOOD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("board:index")


def test_signed_in_users_are_sent_on(client, customer):
    client.force_login(customer)
    assert client.get(reverse("board:signup"))["Location"] == reverse("board:index")


def test_the_login_page_offers_customers_a_way_to_sign_up(client):
    page = client.get("/console/login?next=/ideas/new").content.decode()
    assert 'href="/ideas/signup?next=/ideas/new"' in page
