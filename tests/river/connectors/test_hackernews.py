"""The Hacker News connector against a local server shaped like the Algolia HN search API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from earful.river.connectors import ConnectorError, get_connector, validate_config

from .conftest import LocalServer, answer_by_query, fixture_json, json_reply, query_of, reply

HN = get_connector("hackernews")
SEARCH = "/api/v1/search_by_date"


def config(server: LocalServer) -> dict:
    return {"query": "kestrel", "base_url": server.url("")}


def test_stories_and_comments_become_raw_items(server: LocalServer, allow_loopback):
    server.routes[SEARCH] = json_reply(fixture_json("hackernews_search_by_date.json"))
    result = HN.fetch(config(server), {})
    comment, ask, link = result.items
    assert comment.external_id == "41900023"
    assert comment.parent_id == "41900001"
    assert comment.is_html and comment.text.startswith("The Kestrel teardown")
    assert comment.title == ""
    assert comment.url == "https://news.ycombinator.com/item?id=41900023"
    assert comment.author == "quietcircuit"
    assert comment.author_url == "https://news.ycombinator.com/user?id=quietcircuit"
    assert comment.published_at == datetime(2024, 11, 5, 14, 3, 22, tzinfo=UTC)
    assert ask.is_html and "<i>repairability</i>" in ask.text
    assert ask.title == "Ask HN: Is the Kestrel K7 worth it in 2024?"
    assert (link.text, link.is_html, link.parent_id) == (
        "Kestrel Audio opens its firmware",
        False,
        "",
    )
    assert result.state == {"cursor": {"since": 1730815402.0, "ids": ["41900023"]}}
    assert query_of(server.requests[0].path) == {
        "query": "kestrel",
        "tags": "(story,comment)",
        "hitsPerPage": "100",
        "page": "0",
    }


def test_the_next_poll_filters_by_time_and_returns_only_new_hits(
    server: LocalServer, allow_loopback
):
    page = fixture_json("hackernews_search_by_date.json")
    hits = page["hits"]

    def search(query: dict) -> dict:
        since = int(query.get("numericFilters", "created_at_i>=0").split(">=")[1])
        found = [hit for hit in hits if hit["created_at_i"] >= since]
        return dict(page, hits=found, nbHits=len(found))

    server.routes[SEARCH] = answer_by_query(search)
    first = HN.fetch(config(server), {})
    second = HN.fetch(config(server), first.state)
    assert second.items == []
    assert query_of(server.requests[1].path)["numericFilters"] == "created_at_i>=1730815402"
    # A new comment in the very same second as the last one seen still comes through.
    same_second = dict(hits[0], objectID="41900024", comment_text="Also: the pads are cheap.")
    hits.insert(0, same_second)
    third = HN.fetch(config(server), second.state)
    assert [item.external_id for item in third.items] == ["41900024"]
    assert sorted(third.state["cursor"]["ids"]) == ["41900023", "41900024"]


def test_all_pages_are_read(server: LocalServer, allow_loopback):
    template = fixture_json("hackernews_search_by_date.json")["hits"][0]

    def search(query: dict) -> dict:
        number = int(query["page"])
        hits = [dict(template, objectID=str(number * 100 + n)) for n in range(100)]
        return {"hits": hits if number < 2 else hits[:5], "page": number, "nbPages": 3}

    server.routes[SEARCH] = answer_by_query(search)
    result = HN.fetch(config(server), {})
    assert len(result.items) == 205
    assert [query_of(seen.path)["page"] for seen in server.requests] == ["0", "1", "2"]


def test_malformed_hits_are_skipped(server: LocalServer, allow_loopback):
    page = fixture_json("hackernews_search_by_date.json")
    comment, ask, link = page["hits"]
    page["hits"] = [
        dict(comment, objectID=None),
        dict(comment, objectID="1", created_at_i="noon"),
        dict(comment, objectID="2", comment_text=""),
        {"objectID": "3", "created_at_i": 1, "_tags": ["story"]},
        dict(comment, objectID="4", comment_text=["list"]),
        ["not", "a", "hit"],
        ask,
        link,
    ]
    server.routes[SEARCH] = json_reply(page)
    result = HN.fetch(config(server), {})
    assert [item.external_id for item in result.items] == ["41900010", "41900001"]
    assert result.skipped == [
        "hit 1: 'objectID' is missing or not an id",
        "hit 2: 'created_at_i' is missing or not a timestamp",
        "hit 3: a comment without 'comment_text'",
        "hit 4: a story without title or text",
        "hit 5: 'comment_text' is list, not text",
        "hit 6: the hit is list, not an object",
    ]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            json_reply({"message": "Invalid value for numericFilters", "status": 400}, 400),
            "Invalid",
        ),
        (reply(503, b""), "HTTP 503"),
        (reply(200, b"<!DOCTYPE html><p>Cloudflare</p>", {"Content-Type": "text/html"}), "HTML"),
        (reply(200, b"", {"Content-Type": "application/json"}), "empty body"),
        (json_reply({"nbHits": 0}), "no 'hits' list"),
        (reply(200, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}), "deep"),
    ],
)
def test_server_failures_are_connector_errors(server: LocalServer, allow_loopback, route, message):
    server.routes[SEARCH] = route
    with pytest.raises(ConnectorError, match=message):
        HN.fetch(config(server), {})


def test_config_defaults():
    assert validate_config("hackernews", {"query": "kestrel"}) == {
        "query": "kestrel",
        "base_url": "https://hn.algolia.com",
        "tags": "(story,comment)",
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"query": ""}, "'query' is required"),
        ({"query": 5}, "must be text"),
        ({"query": "k", "tags": "story&x=1"}, "not an Algolia tag filter"),
        ({"query": "k", "base_url": "javascript:alert(1)"}, "must start with http"),
    ],
)
def test_bad_configs_are_refused(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config("hackernews", config)
