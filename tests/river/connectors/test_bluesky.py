"""The Bluesky connector against a local server shaped like app.bsky.feed.searchPosts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from earful.river.connectors import ConnectorError, get_connector, validate_config

from .conftest import LocalServer, answer_by_query, fixture_json, json_reply, query_of, reply

BLUESKY = get_connector("bluesky")
SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def config(server: LocalServer, **extra) -> dict:
    return {"query": "kestrel", "base_url": server.url(""), **extra}


def test_search_results_become_raw_items(server: LocalServer, allow_loopback):
    server.routes[SEARCH] = json_reply(fixture_json("bluesky_search_posts.json"))
    result = BLUESKY.fetch(config(server, token="jwt-token"), {})
    answer, question, thread = result.items
    assert answer.external_id == (
        "at://did:plc:k7lmn2opq3rst4uvw5xyz6ab/app.bsky.feed.post/3lbq2xkz4sk2c"
    )
    assert answer.url == "https://bsky.app/profile/tomasz.bsky.social/post/3lbq2xkz4sk2c"
    assert answer.author == "tomasz.bsky.social"
    assert answer.author_name == "Tomasz W."
    assert answer.author_url == "https://bsky.app/profile/tomasz.bsky.social"
    assert answer.text.startswith("Kestrel support swapped")
    assert not answer.is_html
    assert answer.published_at == datetime(2024, 11, 4, 16, 20, 5, 118000, tzinfo=UTC)
    assert answer.parent_id == question.external_id
    assert answer.language == "en"
    assert question.parent_id == "" and question.author_name == ""
    assert thread.language == "de"
    assert result.skipped == []
    sent = server.requests[0]
    assert query_of(sent.path) == {"q": "kestrel", "sort": "latest", "limit": "100"}
    assert sent.headers["Authorization"] == "Bearer jwt-token"
    assert result.state["cursor"]["ids"] == [answer.external_id]


def test_the_next_poll_returns_only_new_posts(server: LocalServer, allow_loopback):
    page = fixture_json("bluesky_search_posts.json")
    posts = page["posts"]

    def search(query: dict) -> dict:
        since = query.get("since")
        found = [
            p
            for p in posts
            if since is None or min(p["record"]["createdAt"], p["indexedAt"]) >= since
        ]
        return {"posts": found}

    server.routes[SEARCH] = answer_by_query(search)
    first = BLUESKY.fetch(config(server), {})
    assert len(first.items) == 3
    second = BLUESKY.fetch(config(server), first.state)
    assert second.items == []  # the newest post comes back (since is inclusive) and is dropped
    assert query_of(server.requests[1].path)["since"] == "2024-11-04T16:20:05.118Z"

    newer = copy.deepcopy(posts[1])
    newer["uri"] = newer["uri"].replace("3lbq2aaaa1111", "3lbq3bbbb2222")
    newer["record"]["createdAt"] = "2024-11-04T17:00:00.000Z"
    newer["indexedAt"] = "2024-11-04T17:00:01.000Z"
    posts.insert(0, newer)
    third = BLUESKY.fetch(config(server), second.state)
    assert [item.external_id for item in third.items] == [newer["uri"]]


def test_later_polls_follow_the_cursor_until_they_meet_old_posts(
    server: LocalServer, allow_loopback
):
    template = fixture_json("bluesky_search_posts.json")["posts"][1]

    def post(minute: int) -> dict:
        made = copy.deepcopy(template)
        made["uri"] = f"at://did:plc:abc/app.bsky.feed.post/rkey{minute}"
        made["record"]["createdAt"] = f"2024-11-05T10:{minute:02d}:00.000Z"
        made["indexedAt"] = f"2024-11-05T10:{minute:02d}:01.000Z"
        return made

    pages = {
        None: {"posts": [post(50), post(40)], "cursor": "p2"},
        "p2": {"posts": [post(30), post(20)], "cursor": "p3"},
        "p3": {"posts": [post(10), post(5)], "cursor": "p4"},
    }
    server.routes[SEARCH] = answer_by_query(lambda query: pages[query.get("cursor")])
    state = {"cursor": {"since": datetime(2024, 11, 5, 10, 15, tzinfo=UTC).timestamp(), "ids": []}}
    result = BLUESKY.fetch(config(server), state)
    assert [item.external_id.rsplit("rkey", 1)[1] for item in result.items] == [
        "50",
        "40",
        "30",
        "20",
    ]
    assert len(server.requests) == 3  # stopped at the page with old posts


def test_malformed_posts_are_skipped_and_the_rest_kept(server: LocalServer, allow_loopback):
    page = fixture_json("bluesky_search_posts.json")
    good = page["posts"][0]
    broken = [copy.deepcopy(good) for _ in range(6)]
    broken[0]["uri"] = "https://not-an-at-uri"
    del broken[1]["author"]
    broken[2]["record"]["text"] = 42
    broken[3]["record"]["createdAt"] = "last tuesday"
    broken[4]["record"]["$type"] = "app.bsky.feed.like"
    broken[5]["record"]["reply"] = {"parent": "nope"}
    page["posts"] = [*broken, None, good]
    server.routes[SEARCH] = json_reply(page)
    result = BLUESKY.fetch(config(server), {})
    assert [item.external_id for item in result.items] == [good["uri"]]
    assert result.skipped == [
        "post 1: 'uri' is not an at:// post URI: 'https://not-an-at-uri'",
        "post 2: 'author' is missing, not an object",
        "post 3: 'text' is missing or not text",
        "post 4: 'record.createdAt' is not an ISO 8601 date: 'last tuesday'",
        "post 5: the record is a 'app.bsky.feed.like', not a post",
        "post 6: reply 'parent' is str, not an object",
        "post 7: the post is missing, not an object",
    ]


def test_a_damaged_cursor_starts_afresh(server: LocalServer, allow_loopback):
    server.routes[SEARCH] = json_reply(fixture_json("bluesky_search_posts.json"))
    for state in (
        {"cursor": "x"},
        {"cursor": {"since": "soon"}},
        {"cursor": {"since": float("nan")}},
    ):
        assert len(BLUESKY.fetch(config(server), state).items) == 3


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            json_reply({"error": "BadQueryString", "message": "bad query"}, 400),
            "HTTP status 400: BadQueryString: bad query",
        ),
        (json_reply({"error": "AuthMissing", "message": "Authentication Required"}, 403), "403"),
        (reply(502, b"bad gateway"), "HTTP 502"),
        (json_reply({"cursor": "1"}), "no 'posts' list"),
        (json_reply([1, 2]), "expected a JSON object"),
        (reply(200, b'{"posts": [{"uri": ', {"Content-Type": "application/json"}), "invalid JSON"),
    ],
)
def test_server_failures_are_connector_errors(server: LocalServer, allow_loopback, route, message):
    server.routes[SEARCH] = route
    with pytest.raises(ConnectorError, match=message):
        BLUESKY.fetch(config(server), {})


def test_config_defaults_to_the_public_appview():
    assert validate_config("bluesky", {"query": " kestrel K7 "}) == {
        "query": "kestrel K7",
        "base_url": "https://public.api.bsky.app",
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, "'query' is required"),
        ({"query": "   "}, "'query' is required"),
        ({"query": "x" * 501}, "longer than 500"),
        ({"query": "a\x00b"}, "control characters"),
        ({"query": "k", "base_url": "ftp://x"}, "must start with http"),
        ({"query": "k", "handle": "x"}, "unknown setting 'handle'"),
    ],
)
def test_bad_configs_are_refused(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config("bluesky", config)
