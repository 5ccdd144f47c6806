import pytest
from django.contrib.auth import get_user_model

from earful.river import actions
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db


def test_home_shows_the_river_to_staff_only(client):
    actions.ingest_items(actions.source_for_import("export"), [RawItem(text="hello world")])
    anonymous = client.get("/")
    assert anonymous.status_code == 200
    assert b"export" not in anonymous.content and b"log in" in anonymous.content
    staff = get_user_model().objects.create_user("sam", password="pw-long-enough", is_staff=True)
    client.force_login(staff)
    page = client.get("/")
    assert b"export" in page.content
    assert page.context["stats"]["mentions"] == 1
