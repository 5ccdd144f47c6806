"""Every console page: anonymous visitors are sent to log in, users without the
permission get 403, users whose role grants it get the page."""

import pytest
from django.urls import reverse

from earful.river import actions
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def mention_id():
    actions.ingest_items(actions.source_for_import("s"), [RawItem(text="hello", external_id="1")])
    from earful.river.models import Mention

    return Mention.objects.get().id


PAGES = [
    # (url name, kwargs?, role that may, role that may not)
    ("console-dashboard", False, "listener", "responder"),
    ("console-search", False, "listener", None),
    ("console-search-export", False, "responder", None),
    ("console-mention", True, "responder", None),
]


@pytest.mark.parametrize(("name", "needs_id", "allowed", "refused"), PAGES)
def test_console_pages_check_permissions(
    client, user_with_roles, mention_id, name, needs_id, allowed, refused
):
    url = reverse(name, kwargs={"mention_id": mention_id} if needs_id else None)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))

    client.force_login(user_with_roles(username="nobody"))
    assert client.get(url).status_code == 403

    if refused:
        client.force_login(user_with_roles(refused))
        assert client.get(url).status_code == 403

    client.force_login(user_with_roles(allowed))
    assert client.get(url).status_code == 200


def test_saving_a_topic_needs_manage_topics_and_post(client, user_with_roles):
    url = reverse("console-search-save")
    form = {"q": "battery", "name": "Battery", "kind": "theme"}
    assert client.post(url, form).status_code == 302  # to the login page
    client.force_login(user_with_roles("responder"))
    assert client.post(url, form).status_code == 403
    client.force_login(user_with_roles("listener"))
    assert client.get(url).status_code == 405


def test_forms_are_csrf_protected(user_with_roles):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_roles("listener"))
    response = client.post(reverse("console-search-save"), {"q": "x", "name": "X"})
    assert response.status_code == 403
    assert client.post(reverse("logout")).status_code == 403


def test_login_page_logs_in_and_goes_to_the_dashboard(client, user_with_roles):
    user_with_roles("listener", username="lee")
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    wrong = client.post(reverse("login"), {"username": "lee", "password": "nope"})
    assert b"do not match" in wrong.content
    right = client.post(reverse("login"), {"username": "lee", "password": "a-long-test-password"})
    assert right["Location"] == reverse("console-start")
    assert client.get(reverse("console-start"))["Location"] == reverse("console-dashboard")


@pytest.mark.parametrize(
    ("roles", "page"),
    [(("listener",), "console-dashboard"), (("responder",), "inbox"), ((), None)],
)
def test_after_login_each_role_starts_on_a_page_it_may_see(client, user_with_roles, roles, page):
    client.force_login(user_with_roles(*roles, username="u"))
    response = client.get(reverse("console-start"))
    if page is None:
        assert response.status_code == 403 and b"no console role" in response.content
    else:
        assert response["Location"] == reverse(page)
