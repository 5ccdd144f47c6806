"""The Reddit connector against a local server shaped like Reddit's search.json listings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from earful.river.connectors import ConnectorError, get_connector, validate_config
from earful.river.connectors.reddit import USER_AGENT

from .conftest import LocalServer, answer_by_query, fixture_json, json_reply, query_of, reply

REDDIT = get_connector("reddit")


def config(server: LocalServer, **extra) -> dict:
    return {"query": "kestrel", "base_url": server.url(""), **extra}


def test_posts_become_raw_items(server: LocalServer, allow_loopback):
    server.routes["/search.json"] = json_reply(fixture_json("reddit_search.json"))
    result = REDDIT.fetch(config(server), {})
    crackle, sale, deleted = result.items
    assert crackle.external_id == "t3_1gk3c0a"
    assert crackle.title == "Kestrel K7 left driver crackling"
    assert crackle.text.startswith("Kestrel K7 left driver crackling\n\nLeft driver crackles")
    assert crackle.url == server.url(
        "/r/headphones/comments/1gk3c0a/kestrel_k7_left_driver_crackling/"
    )
    assert crackle.author == "bassline_bea"
    assert crackle.author_url == server.url("/user/bassline_bea/")
    assert crackle.published_at == datetime.fromtimestamp(1730900000, tz=UTC)
    assert not crackle.is_html
    assert sale.text == "Kestrel S2 on sale for $89 this week"  # link post: the title alone
    assert (deleted.author, deleted.author_url) == ("", "")
    sent = server.requests[0]
    assert sent.headers["User-Agent"] == USER_AGENT
    assert query_of(sent.path) == {
        "q": "kestrel",
        "sort": "new",
        "limit": "100",
        "raw_json": "1",
        "type": "link",
    }


def test_a_subreddit_search_is_restricted_to_it(server: LocalServer, allow_loopback):
    server.routes["/r/headphones/search.json"] = json_reply(fixture_json("reddit_search.json"))
    REDDIT.fetch(config(server, subreddit="r/headphones"), {})
    assert query_of(server.requests[0].path)["restrict_sr"] == "1"


def test_the_next_poll_returns_only_new_posts(server: LocalServer, allow_loopback):
    listing = fixture_json("reddit_search.json")
    children = listing["data"]["children"]
    server.routes["/search.json"] = answer_by_query(lambda query: listing)
    first = REDDIT.fetch(config(server), {})
    assert len(first.items) == 3
    assert REDDIT.fetch(config(server), first.state).items == []
    newer = {"kind": "t3", "data": dict(children[0]["data"], id="1gk9new", name="t3_1gk9new")}
    newer["data"]["created_utc"] = 1730900500.0
    children.insert(0, newer)
    third = REDDIT.fetch(config(server), first.state)
    assert [item.external_id for item in third.items] == ["t3_1gk9new"]


def test_malformed_posts_are_skipped(server: LocalServer, allow_loopback):
    listing = fixture_json("reddit_search.json")
    good = listing["data"]["children"][0]
    listing["data"]["children"] = [
        {"kind": "t1", "data": good["data"]},
        {"kind": "t3", "data": dict(good["data"], title=None)},
        {"kind": "t3", "data": dict(good["data"], created_utc="today")},
        {"kind": "t3", "data": dict(good["data"], permalink="https://evil.example/")},
        {"kind": "t3"},
        good,
    ]
    server.routes["/search.json"] = json_reply(listing)
    result = REDDIT.fetch(config(server), {})
    assert [item.external_id for item in result.items] == ["t3_1gk3c0a"]
    assert result.skipped == [
        "post 1: a 't1' entry, not a post (t3)",
        "post 2: 'title' is missing or not text",
        "post 3: 'created_utc' is missing or not a timestamp",
        "post 4: 'permalink' is not a path on Reddit",
        "post 5: the post's 'data' is missing, not an object",
    ]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            json_reply({"message": "Too Many Requests", "error": 429}, 429, {"Retry-After": "7"}),
            "rate limited by the server \\(HTTP 429\\); the server asks to wait 7 seconds",
        ),
        (reply(429, b"<html>whoa there, pardner!</html>", {"Content-Type": "text/html"}), "429"),
        (json_reply({"message": "Forbidden", "error": 403}, 403), "access refused"),
        (reply(500, b""), "HTTP 500"),
        (reply(200, b"<html><body>blocked</body></html>", {"Content-Type": "text/html"}), "HTML"),
        (
            reply(200, b'{"kind": "Listing", "data": {"chil', {"Content-Type": "application/json"}),
            "JSON",
        ),
        (json_reply({"kind": "t3", "data": {}}), "expected a Reddit listing"),
        (json_reply({"kind": "Listing", "data": {"children": "none"}}), "no data.children list"),
    ],
)
def test_server_failures_are_connector_errors(server: LocalServer, allow_loopback, route, message):
    server.routes["/search.json"] = route
    with pytest.raises(ConnectorError, match=message):
        REDDIT.fetch(config(server), {})


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, "'query' is required"),
        ({"query": "k", "subreddit": "no spaces here"}, "not a subreddit name"),
        ({"query": "k", "subreddit": "../../api"}, "not a subreddit name"),
        ({"query": "k", "base_url": "reddit.com"}, "must start with http"),
    ],
)
def test_bad_configs_are_refused(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config("reddit", config)


def test_config_normalises_the_subreddit():
    assert validate_config("reddit", {"query": "k", "subreddit": "/r/headphones/"}) == {
        "query": "k",
        "base_url": "https://www.reddit.com",
        "subreddit": "headphones",
    }
