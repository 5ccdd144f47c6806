"""Calling the JSON API as a user in tests: `caller(client, prefix)(user)` gives a
`request(method, path, body=None, **query)` sending that user's fresh token (None:
anonymous; `token=` sends that one instead), and `error_of` checks a JSON refusal."""

from __future__ import annotations

import json

from earful.accounts.actions import create_api_token


def caller(client, prefix: str):
    def make(user, token: str | None = None):
        headers = {}
        if user is not None:
            _, plain = create_api_token(user, "test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token or plain}"
        elif token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

        def request(method, url, body=None, **params):
            if method == "get":
                return client.get(prefix + url, params, **headers)
            data = body if isinstance(body, str | bytes) else json.dumps(body or {})
            return getattr(client, method)(
                prefix + url, data, content_type="application/json", **headers
            )

        return request

    return make


def error_of(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    return body["error"]
