import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse

from earful.accounts.roles import perm

pytestmark = pytest.mark.django_db


def test_admins_create_people_and_change_their_roles(client, user_with_roles):
    boss = user_with_roles("admin", username="boss")
    client.force_login(boss)
    url = reverse("people")
    form = {"username": "nia", "password": "a sturdy passphrase 42", "roles": ["listener"]}
    client.post(url, {**form, "email": "nia@example.com"})
    nia = authenticate(username="nia", password="a sturdy passphrase 42")
    assert nia is not None and nia.has_perm(perm("view_dashboard"))

    client.post(reverse("people-roles", args=[nia.id]), {"roles": ["responder"]})
    nia = get_user_model().objects.get(username="nia")
    assert list(nia.groups.values_list("name", flat=True)) == ["responder"]

    own = client.post(reverse("people-roles", args=[boss.id]), {"roles": []}, follow=True)
    assert any("your own admin role" in str(m) for m in own.context["messages"])
    assert boss.groups.filter(name="admin").exists()


@pytest.mark.parametrize(
    "form",
    [
        {"username": "", "password": "a sturdy passphrase 42"},
        {"username": "x", "password": "short"},
        {"username": "x", "password": "password"},
        {"username": "x", "password": "a sturdy passphrase 42", "roles": ["overlord"]},
        {"username": "x", "password": "a sturdy passphrase 42", "email": "nope"},
    ],
)
def test_bad_people_are_refused(client, user_with_roles, form):
    client.force_login(user_with_roles("admin", username="boss"))
    response = client.post(reverse("people"), form, follow=True)
    assert any("not created" in str(m) for m in response.context["messages"])
    assert not get_user_model().objects.filter(username="x").exists()


def test_only_admins_see_people(client, user_with_roles):
    client.force_login(user_with_roles("listener", "responder"))
    assert client.get(reverse("people")).status_code == 403
