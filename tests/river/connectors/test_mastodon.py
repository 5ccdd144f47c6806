"""The Mastodon connector against a local server shaped like the Mastodon REST API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from earful.river.connectors import ConnectorError, get_connector, validate_config

from .conftest import LocalServer, answer_by_query, fixture_json, json_reply, query_of, reply

MASTODON = get_connector("mastodon")
TAG_PATH = "/api/v1/timelines/tag/kestrelaudio"


def tag_config(server: LocalServer, **extra) -> dict:
    return {"instance": server.url(""), "hashtag": "#KestrelAudio".lower(), **extra}


def test_hashtag_timeline_statuses_become_raw_items(server: LocalServer, allow_loopback):
    server.routes[TAG_PATH] = json_reply(fixture_json("mastodon_tag_timeline.json"))
    result = MASTODON.fetch(tag_config(server), {})
    reply_status, remote, brand = result.items
    host = f"127.0.0.1:{server.port}"
    assert reply_status.external_id == "113401000000000003"
    assert reply_status.parent_id == "113401000000000001"
    assert reply_status.author == f"mira@{host}"  # local accounts get the instance's host
    assert reply_status.author_name == "Mira Okafor"
    assert reply_status.author_reach == 812
    assert reply_status.author_url == "https://social.example/@mira"
    assert reply_status.url == "https://social.example/@mira/113401000000000003"
    assert reply_status.published_at == datetime(2024, 11, 2, 9, 15, 42, tzinfo=UTC)
    assert reply_status.is_html and "lost pairing" in reply_status.text
    assert reply_status.language == "en"
    assert remote.author == "jonas@other.example"
    assert remote.author_name == "jonas"  # empty display name: the user name
    assert remote.title == "long review"  # the content warning
    assert remote.parent_id == ""
    assert brand.external_id == "113401000000000001"  # unlisted is still public
    assert result.state == {"min_id": "113401000000000003"}
    assert query_of(server.requests[0].path) == {"limit": "40"}


def test_the_next_poll_asks_only_for_newer_statuses(server: LocalServer, allow_loopback):
    statuses = fixture_json("mastodon_tag_timeline.json")

    def timeline(query: dict) -> list:
        newer_than = int(query.get("min_id", 0))
        return [s for s in statuses if int(s["id"]) > newer_than]

    server.routes[TAG_PATH] = answer_by_query(timeline)
    first = MASTODON.fetch(tag_config(server), {})
    assert len(first.items) == 3
    second = MASTODON.fetch(tag_config(server), first.state)
    assert second.items == [] and second.state == first.state
    assert query_of(server.requests[1].path)["min_id"] == "113401000000000003"

    newer = dict(statuses[0], id="113401000000000010", in_reply_to_id=None)
    statuses.insert(0, newer)
    third = MASTODON.fetch(tag_config(server), second.state)
    assert [item.external_id for item in third.items] == ["113401000000000010"]
    assert third.state == {"min_id": "113401000000000010"}


def test_a_busy_hashtag_is_read_page_by_page(server: LocalServer, allow_loopback):
    template = fixture_json("mastodon_tag_timeline.json")[0]
    statuses = [dict(template, id=str(1000 + n)) for n in range(100)]

    def timeline(query: dict) -> list:
        newer = [s for s in statuses if int(s["id"]) > int(query.get("min_id", 999))]
        return sorted(newer[: int(query["limit"])], key=lambda s: -int(s["id"]))

    server.routes[TAG_PATH] = answer_by_query(timeline)
    result = MASTODON.fetch(tag_config(server), {"min_id": "999"})
    assert len(result.items) == 100
    assert result.state["min_id"] == "1099"
    assert len(server.requests) == 3  # 40 + 40 + 20


def test_account_statuses_skip_boosts_and_non_public_posts(server: LocalServer, allow_loopback):
    server.routes["/api/v1/accounts/lookup"] = json_reply(
        fixture_json("mastodon_account_lookup.json")
    )
    statuses_path = "/api/v1/accounts/109000000000000044/statuses"
    server.routes[statuses_path] = json_reply(fixture_json("mastodon_account_statuses.json"))
    config = {"instance": server.url("/"), "account": "@gadgetdesk", "token": "s3cret"}
    result = MASTODON.fetch(config, {})
    (item,) = result.items
    assert item.external_id == "113402000000000007"
    assert item.author_reach == 40210
    assert result.state == {
        "account": "gadgetdesk",
        "account_id": "109000000000000044",
        "min_id": "113402000000000009",  # the boost moved the cursor too
    }
    lookup, statuses = server.requests
    assert query_of(lookup.path) == {"acct": "gadgetdesk"}
    assert query_of(statuses.path) == {"limit": "40", "exclude_reblogs": "true"}
    assert statuses.headers["Authorization"] == "Bearer s3cret"

    MASTODON.fetch(config, result.state)
    assert server.requests[2].path.startswith(statuses_path)  # no second lookup


def test_an_unknown_account_is_reported(server: LocalServer, allow_loopback):
    server.routes["/api/v1/accounts/lookup"] = json_reply({"error": "Record not found"}, 404)
    with pytest.raises(ConnectorError, match="not found \\(HTTP 404\\): Record not found"):
        MASTODON.fetch({"instance": server.url(""), "account": "nobody"}, {})


def test_malformed_statuses_are_skipped_and_counted(server: LocalServer, allow_loopback):
    good = fixture_json("mastodon_tag_timeline.json")[0]
    page = [
        "not a status",
        dict(good, id="11", account=None),
        dict(good, id="12", created_at="yesterday"),
        dict(good, id="13", content=""),
        dict(good, id="14", account=dict(good["account"], followers_count="many")),
        {k: v for k, v in good.items() if k != "id"},
        dict(good, id="15"),
    ]
    server.routes[TAG_PATH] = json_reply(page)
    result = MASTODON.fetch(tag_config(server), {})
    assert [item.external_id for item in result.items] == ["15"]
    assert result.skipped == [
        "status 1: the status is str, not an object",
        "status 11: 'account' is missing, not an object",
        "status 12: 'created_at' is not an ISO 8601 date: 'yesterday'",
        "status 13: no text (media only?)",
        "status 14: 'followers_count' is str, not a count",
        "status 6: 'id' is missing or not an id",
    ]
    assert result.state == {"min_id": "15"}


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (reply(500, b"oops"), "the server failed \\(HTTP 500\\)"),
        (
            json_reply({"error": "Too many requests"}, 429, {"Retry-After": "300"}),
            "rate limited .*wait 300 seconds: Too many requests",
        ),
        (
            json_reply({"error": "This method requires an authenticated user"}, 401),
            "check the token",
        ),
        (
            reply(200, b"<html><body>Maintenance</body></html>", {"Content-Type": "text/html"}),
            "HTML",
        ),
        (
            reply(200, b'[{"id": "1", "content": "tru', {"Content-Type": "application/json"}),
            "invalid JSON",
        ),
        (json_reply({"error": "weird"}), "expected a list of statuses"),
    ],
)
def test_server_failures_are_connector_errors(server: LocalServer, allow_loopback, route, message):
    server.routes[TAG_PATH] = route
    with pytest.raises(ConnectorError, match=message) as caught:
        MASTODON.fetch(tag_config(server), {})
    assert f"127.0.0.1:{server.port}" in str(caught.value)


def test_config_is_normalised():
    assert validate_config(
        "mastodon", {"instance": "https://Mastodon.Social/", "hashtag": " #Kestrel_Audio "}
    ) == {"instance": "https://mastodon.social", "hashtag": "Kestrel_Audio"}
    assert validate_config(
        "mastodon", {"instance": "https://m.example", "account": "@ann@other.example"}
    ) == {"instance": "https://m.example", "account": "ann@other.example"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"hashtag": "x"}, "the instance URL is required"),
        ({"instance": "mastodon.social", "hashtag": "x"}, "must start with http"),
        ({"instance": "https://m.example/?x=1", "hashtag": "x"}, "without \\?query"),
        ({"instance": "https://m.example"}, "either a hashtag or an account"),
        ({"instance": "https://m.example", "hashtag": "a", "account": "b"}, "not both"),
        ({"instance": "https://m.example", "hashtag": "two words"}, "not a hashtag"),
        ({"instance": "https://m.example", "hashtag": "../../admin"}, "not a hashtag"),
        ({"instance": "https://m.example", "account": "a/b"}, "not an account"),
        ({"instance": "https://m.example", "hashtag": ["x"]}, "must be text"),
        ({"instance": "https://m.example", "hashtag": "x", "token": 5}, "must be text"),
    ],
)
def test_bad_configs_are_refused(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config("mastodon", config)
