import json

import pytest

from earful.accounts.actions import create_api_token
from earful.inbox import actions
from earful.inbox.models import Triage
from earful.river import actions as river
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def call(client, user_with_roles):
    def make(*roles, username="api-user"):
        user = user_with_roles(*roles, username=username)
        _, plain = create_api_token(user, "test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

        def request(method, path, body=None, **params):
            if method == "get":
                return client.get(API + path, params, **headers)
            return client.post(API + path, json.dumps(body), content_type="application/json",
                               **headers)  # fmt: skip

        request.user = user
        return request

    return make


@pytest.fixture
def queued():
    river.ingest_items(
        river.source_for_import("social"),
        [RawItem(text=f"Why is my phone {n} so slow?", external_id=str(n)) for n in range(3)]
        + [RawItem(text="Lovely phone.", external_id="calm")],
    )
    return Mention.objects.get(external_id="0")


def test_the_inbox_through_the_api(call, queued):
    api = call("responder")
    page = api("get", "/inbox", limit=2).json()
    assert page["count"] == 3 and len(page["items"]) == 2 and page["next_offset"] == 2
    assert "question" in page["items"][0]["reasons"]

    item = api("post", f"/inbox/{queued.id}", {"action": "assign", "value": "me"}).json()
    assert item["assignee"] == "api-user" and item["status"] == "open"
    api("post", f"/inbox/{queued.id}", {"action": "tag", "value": "Speed"})
    api("post", f"/inbox/{queued.id}", {"action": "note", "text": "Known issue"})
    done = api("post", f"/inbox/{queued.id}", {"action": "reply", "text": "Update please"})
    assert done.json()["status"] == "done" and done.json()["tags"] == ["speed"]
    assert api("get", "/inbox", assignee="me").json()["count"] == 0  # done is not listed

    calm = Mention.objects.get(external_id="calm")
    corrected = api("post", f"/inbox/{calm.id}", {"action": "sentiment", "value": "negative"})
    assert corrected.status_code == 200 and "negative" in corrected.json()["reasons"]
    assert Mention.objects.get(pk=calm.pk).sentiment == "negative"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "status", "value": "archived"}, 422),
        ({"action": "assign", "value": "99999"}, 422),
        ({"action": "assign", "value": "abc"}, 422),
        ({"action": "note", "text": "   "}, 422),
        ({"action": "explode"}, 422),
        ({"action": "sentiment", "value": "furious"}, 422),
        ({}, 422),
    ],
)
def test_bad_actions_get_clear_errors(call, queued, body, status):
    response = call("responder")("post", f"/inbox/{queued.id}", body)
    assert response.status_code == status and "error" in response.json()


def test_inbox_and_alerts_need_their_permissions(call, queued):
    listener = call("listener", username="lee")
    assert listener("get", "/inbox").status_code == 403
    assert listener("post", f"/inbox/{queued.id}", {"action": "take_in"}).status_code == 403
    assert listener("get", "/alerts").status_code == 200
    responder = call("responder", username="rae")
    assert responder("get", "/alerts").status_code == 403
    assert responder("post", "/inbox/999999", {"action": "take_in"}).status_code == 404
    assert responder("get", "/inbox", assignee="somebody").status_code == 422
    assert Triage.objects.filter(mention=queued, status="new").exists()


def test_alert_rules_and_their_alerts(call):
    actions.create_alert_rule("all", email_to="a@example.com")
    rules = call("listener")("get", "/alerts").json()
    assert rules[0]["name"] == "all" and rules[0]["alerts"] == []
