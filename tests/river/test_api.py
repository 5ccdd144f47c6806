import json

import pytest

from earful.accounts.actions import api_user, create_api_token, revoke_api_token
from earful.river.models import Mention, Source

URL = "/api/v1/mentions"


@pytest.fixture
def token(db):
    _, plain = create_api_token(api_user("robot"), "tests")
    return plain


def push(client, token, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


def test_push_stores_items_and_reports_bad_ones_by_index(client, token):
    items = [
        {"id": "1", "text": "The Lumio Arc is lovely", "author": "ann", "author_reach": 1200},
        {"id": "2"},
        {"id": "3", "text": "Shipping is slow", "published_at": "last week"},
        {"id": "4", "text": "Support fixed it", "parent_id": "1"},
    ]
    response = push(client, token, {"source": "zapier", "items": items})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["duplicates"], body["rejected"]) == (2, 0, 2)
    assert [e["index"] for e in body["errors"]] == [1, 2]
    assert "text is required" in body["errors"][0]["error"]
    assert Source.objects.get(name="zapier").kind == "api"
    reply = Mention.objects.get(external_id="4")
    assert reply.parent == Mention.objects.get(external_id="1")
    assert Mention.objects.get(external_id="1").author.reach == 1200


def test_pushing_the_same_items_again_is_idempotent(client, token):
    payload = {"source": "s", "items": [{"id": str(i), "text": f"post {i}"} for i in range(5)]}
    push(client, token, payload)
    body = push(client, token, payload).json()
    assert (body["imported"], body["duplicates"]) == (0, 5)
    assert Mention.objects.count() == 5


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[]",
        {"items": []},
        {"source": "", "items": []},
        {"source": "s", "items": "nope"},
        {"source": "s", "items": [{"text": "x"}] * 1001},
        {"source": "s", "items": [42, None, {"text": {"nested": 1}}]},
    ],
)
def test_bad_requests_get_json_errors_never_a_500(client, token, payload):
    response = push(client, token, payload)
    assert response.status_code in (400, 422), response.content
    assert "error" in response.json()


def test_tokens_are_required_and_revocable(client, token):
    payload = {"source": "s", "items": [{"text": "hello"}]}
    assert client.post(URL, payload, content_type="application/json").status_code == 401
    assert push(client, "ef_wrong", payload).status_code == 401
    from earful.accounts.models import ApiToken

    revoke_api_token(ApiToken.objects.get())
    response = push(client, token, payload)
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert Mention.objects.count() == 0


def test_openapi_documents_the_push_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/mentions" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/mentions"]


def test_api_docs_use_no_cdn(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "https://" not in page.split("<body")[0]


def test_a_large_batch_within_the_limits_is_accepted(client, token):
    items = [{"id": str(i), "text": f"post {i} " + "lorem ipsum " * 300} for i in range(1000)]
    response = push(client, token, {"source": "big", "items": items})
    assert response.status_code == 200, response.content[:200]
    assert response.json()["imported"] == 1000


def test_an_oversized_body_gets_a_json_error(client, token):
    body = json.dumps({"source": "s", "items": [{"text": "x" * 30_000_000}]})
    response = push(client, token, body)
    assert response.status_code in (400, 413)
    assert "error" in response.json()


@pytest.mark.parametrize(
    "item",
    [{"text": "x", "author_reach": 10**30}, {"text": "x", "published_at": 1e300}, {"text": 5}],
)
def test_items_with_absurd_values_are_rejected_by_index(client, token, item):
    response = push(client, token, {"source": "s", "items": [{"text": "fine"}, item]})
    assert response.status_code == 200
    body = response.json()
    assert (body["imported"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["index"] == 1
