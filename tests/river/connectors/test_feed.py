"""The RSS/Atom connector against feeds served from 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import pytest

from earful.river.connectors import ConnectorError, get_connector, validate_config
from earful.river.connectors.feed import declares_entities

from .conftest import LocalServer, fixture_bytes, reply

FEED = get_connector("feed")
RSS = "application/rss+xml; charset=utf-8"


def poll(server: LocalServer, path: str = "/feed", state: dict | None = None):
    return FEED.fetch({"url": server.url(path)}, state or {})


def rss(items: str, encoding_declaration: str = ' encoding="UTF-8"') -> str:
    return (
        f'<?xml version="1.0"{encoding_declaration}?>\n<rss version="2.0"><channel>'
        f"<title>Test feed</title><link>https://feed.example/</link>{items}</channel></rss>"
    )


ONE_ITEM = (
    '<item><title>Kestrel K7</title><guid isPermaLink="false">k7</guid>'
    "<description>Solid.</description></item>"
)


# --- reading feeds ------------------------------------------------------------------------


def test_rss_items_become_raw_items(server: LocalServer, allow_loopback):
    server.routes["/feed"] = reply(200, fixture_bytes("kestrel_blog.rss"), {"Content-Type": RSS})
    result = poll(server)
    assert result.skipped == [] and not result.not_modified
    first, second, third = result.items
    assert first.external_id == "soundbench-2024-10-kestrel-k7"
    assert first.url == "https://soundbench.example/2024/10/kestrel-k7-six-months"
    assert first.title == "Kestrel K7, six months on"
    assert first.author == first.author_name == "Priya Raman"
    assert first.published_at == datetime(2024, 10, 29, 7, 30, tzinfo=UTC)
    assert first.language == "en-gb"
    assert first.is_html and "<strong>still my daily pair</strong>" in first.text
    assert "<script>" not in first.text  # the full content, sanitised by feedparser
    # No guid: the link is the identity.
    assert second.external_id == "https://soundbench.example/2024/11/kestrel-s2-price"
    assert "down to 89" in second.text
    # No text at all: the title stands in, as plain text.
    assert (third.text, third.is_html) == ("Link only: the Kestrel repair guide", False)


def test_atom_entries_resolve_relative_links_against_the_feed_url(
    server: LocalServer, allow_loopback
):
    server.routes["/forum.atom"] = reply(
        200, fixture_bytes("kestrel_forum.atom"), {"Content-Type": "application/atom+xml"}
    )
    first, second = poll(server, "/forum.atom").items
    assert first.url == server.url("/t/881")
    assert first.external_id == "tag:forum.kestrel.example,2024:thread-881"
    assert first.author_url == "https://forum.kestrel.example/u/bram"
    assert first.published_at == datetime(2024, 11, 6, 8, 12, tzinfo=UTC)
    assert first.is_html and "<em>K7</em>" in first.text
    assert first.language == "nl"
    assert second.published_at == datetime(2024, 11, 5, 20, 0, tzinfo=UTC)  # from <updated>
    assert (second.text, second.is_html) == ("How long does the S2 last at half volume?", False)


def test_entries_without_title_or_text_are_skipped_and_the_rest_kept(
    server: LocalServer, allow_loopback
):
    items = (
        "<item><guid>empty</guid></item>" + ONE_ITEM + "<item><description> </description></item>"
    )
    server.routes["/feed"] = reply(200, rss(items).encode(), {"Content-Type": RSS})
    result = poll(server)
    assert [item.external_id for item in result.items] == ["k7"]
    assert result.skipped == ["entry 1: no title and no text", "entry 3: no title and no text"]


def test_an_overlong_guid_is_stored_as_a_digest(server: LocalServer, allow_loopback):
    items = f"<item><title>x</title><guid>{'g' * 5000}</guid></item>"
    server.routes["/feed"] = reply(200, rss(items).encode(), {"Content-Type": RSS})
    (item,) = poll(server).items
    assert item.external_id.startswith("sha256:") and len(item.external_id) < 100


# --- conditional GET ----------------------------------------------------------------------


def test_conditional_get_sends_validators_and_handles_304(server: LocalServer, allow_loopback):
    body = rss(ONE_ITEM).encode()
    etag, modified = '"v1-abc"', "Wed, 06 Nov 2024 10:00:00 GMT"

    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            reply(304, b"", {"ETag": etag})(handler)
        else:
            reply(200, body, {"Content-Type": RSS, "ETag": etag, "Last-Modified": modified})(
                handler
            )

    server.routes["/feed"] = route
    first = poll(server, state={"unrelated": 1})
    assert len(first.items) == 1
    assert first.state == {"unrelated": 1, "etag": etag, "last_modified": modified}
    assert "If-None-Match" not in server.requests[0].headers

    second = poll(server, state=first.state)
    assert second.not_modified and second.items == []
    assert second.state == first.state
    sent = server.requests[1].headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == (etag, modified)


def test_validators_the_server_stops_sending_are_forgotten(server: LocalServer, allow_loopback):
    server.routes["/feed"] = reply(200, rss(ONE_ITEM).encode(), {"Content-Type": RSS})
    result = poll(server, state={"etag": '"old"', "last_modified": "yesterday"})
    assert "etag" not in result.state and "last_modified" not in result.state


def test_damaged_state_is_ignored(server: LocalServer, allow_loopback):
    server.routes["/feed"] = reply(200, rss(ONE_ITEM).encode(), {"Content-Type": RSS})
    result = poll(server, state={"etag": 42, "last_modified": ["x"]})
    assert len(result.items) == 1
    assert "If-None-Match" not in server.requests[0].headers


# --- configs ------------------------------------------------------------------------------


def test_config_is_normalised():
    assert validate_config("feed", {"url": "  https://blog.example/feed.xml "}) == {
        "url": "https://blog.example/feed.xml"
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, "the feed URL is required"),
        ({"url": "   "}, "the feed URL is required"),
        ({"url": 42}, "must be a text URL"),
        ({"url": "ftp://blog.example/feed"}, "must start with http:// or https://"),
        ({"url": "file:///etc/passwd"}, "must start with http:// or https://"),
        ({"url": "blog.example/feed"}, "got no scheme"),
        ({"url": "http://"}, "has no host name"),
        ({"url": "http://blog.example/a feed"}, "must not contain spaces"),
        ({"url": "http://blog.example:99999/"}, "not a valid URL"),
        ({"url": "https://user:pw@blog.example/"}, "user name or password"),
        ({"url": "https://blog.example/", "extra": 1}, "unknown setting 'extra'"),
        ("https://blog.example/", "must be an object"),
    ],
)
def test_bad_configs_are_refused_with_a_clear_message(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config("feed", config)


def test_fetch_with_a_bad_config_raises_connector_error():
    with pytest.raises(ConnectorError, match="misconfigured: the feed URL is required"):
        FEED.fetch({}, {})


# --- failures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [(500, "the server failed \\(HTTP 500\\)"), (404, "not found"), (429, "rate limited")],
)
def test_error_statuses_name_the_url_and_status(
    server: LocalServer, allow_loopback, status, message
):
    server.routes["/feed"] = reply(status, b"nope")
    with pytest.raises(ConnectorError, match=message) as caught:
        poll(server)
    assert server.url("/feed") in str(caught.value)


def test_a_refused_address_is_a_connector_error(server: LocalServer, settings):
    settings.EARFUL_ALLOW_NETWORKS = []
    with pytest.raises(ConnectorError, match="loopback"):
        poll(server)


def test_a_huge_body_is_cut_off(server: LocalServer, allow_loopback, settings):
    settings.EARFUL_HTTP_MAX_BYTES = 256 * 1024
    padding = "<item><title>pad</title><description>" + "x" * 1000 + "</description></item>"
    server.routes["/feed"] = reply(200, rss(padding * 3000).encode(), {"Content-Type": RSS})
    with pytest.raises(ConnectorError, match="larger than 262144 bytes|announces"):
        poll(server)


def test_feeds_have_a_smaller_cap_than_other_fetches(server: LocalServer, allow_loopback, settings):
    settings.EARFUL_HTTP_MAX_BYTES = 50 * 1024 * 1024
    padding = "<item><title>pad</title><description>" + "x" * 1000 + "</description></item>"
    server.routes["/feed"] = reply(200, rss(padding * 4500).encode(), {"Content-Type": RSS})
    with pytest.raises(ConnectorError, match="larger than 4194304 bytes|announces"):
        poll(server)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b"<!doctype html><html><head><title>Blog</title></head><body>Hi</body></html>",
            "text/html",
        ),
        (b"", RSS),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "image/png"),
        (b'{"items": []}', "application/json"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>cut o', RSS),
    ],
)
def test_something_that_is_not_a_feed_is_reported(
    server: LocalServer, allow_loopback, body, content_type
):
    server.routes["/feed"] = reply(200, body, {"Content-Type": content_type})
    with pytest.raises(ConnectorError, match="not a readable RSS/Atom feed"):
        poll(server)


def test_an_empty_but_valid_feed_is_not_an_error(server: LocalServer, allow_loopback):
    server.routes["/feed"] = reply(200, rss("").encode(), {"Content-Type": RSS})
    result = poll(server)
    assert result.items == [] and result.skipped == []


# --- hostile and broken feeds -------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&secret;</title><description>&secret;</description></item></channel></rss>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS.encode(),
        BILLION_LAUGHS.replace("\n <!ENTITY", "<!ENTITY").encode(),  # all on one line
        BILLION_LAUGHS.replace("<!ENTITY", "<!entity").encode(),
        EXTERNAL_ENTITY.encode(),
        PARAMETER_ENTITY.encode(),
        BILLION_LAUGHS.replace('<?xml version="1.0"?>', "").encode("utf-16"),
        BILLION_LAUGHS.replace('<?xml version="1.0"?>', "").encode("utf-32-be"),
    ],
    ids=["laughs", "one-line", "lower-case", "external", "parameter", "utf-16", "utf-32"],
)
def test_entity_declarations_are_refused_quickly(server: LocalServer, allow_loopback, body):
    server.routes["/feed"] = reply(200, body, {"Content-Type": RSS})
    started = time.monotonic()
    with pytest.raises(ConnectorError, match="declares XML entities"):
        poll(server)
    assert time.monotonic() - started < 2
    assert len(server.requests) == 1  # nothing else was fetched (no external DTD)


def test_entity_detection_ignores_escaped_text():
    assert not declares_entities(rss("<item><title>&lt;!ENTITY in a post</title></item>").encode())
    assert declares_entities("<!ENTITY x 'y'>".encode("utf-16-le"))


def test_a_feed_with_a_plain_doctype_is_read(server: LocalServer, allow_loopback):
    doctype = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    )
    body = rss(ONE_ITEM).replace("<rss", doctype + "\n<rss", 1).encode()
    server.routes["/feed"] = reply(200, body, {"Content-Type": RSS})
    assert [item.external_id for item in poll(server).items] == ["k7"]
    assert len(server.requests) == 1


def test_broken_xml_keeps_the_usable_entries(server: LocalServer, allow_loopback):
    broken = rss(
        ONE_ITEM + '<item><title>Fish & chips & K7</title><guid isPermaLink="false">k7-2</guid>'
        "<description>Unescaped & everywhere <b>unclosed</description></item>"
    ).replace("</channel></rss>", "")
    server.routes["/feed"] = reply(200, broken.encode(), {"Content-Type": RSS})
    result = poll(server)
    assert [item.external_id for item in result.items] == ["k7", "k7-2"]
    assert "Fish & chips" in result.items[1].title


def test_a_declared_latin1_feed_is_decoded(server: LocalServer, allow_loopback):
    items = (
        "<item><title>Grüße aus Köln</title><guid>de</guid>"
        "<description>Schön laut.</description></item>"
    )
    body = rss(items, ' encoding="ISO-8859-1"').encode("latin-1")
    server.routes["/feed"] = reply(200, body, {"Content-Type": "application/rss+xml"})
    (item,) = poll(server).items
    assert (item.title, item.text) == ("Grüße aus Köln", "Schön laut.")


def test_the_http_charset_is_honoured(server: LocalServer, allow_loopback):
    items = "<item><title>Éclair</title><guid>fr</guid></item>"
    body = rss(items, "").encode("cp1252")
    server.routes["/feed"] = reply(200, body, {"Content-Type": "text/xml; charset=windows-1252"})
    (item,) = poll(server).items
    assert item.title == "Éclair"


GUID_A = '<guid isPermaLink="false">a</guid>'


@pytest.mark.parametrize(
    "body",
    [
        # Undeclared, and not UTF-8: windows-1252 bytes.
        rss(
            f"<item><title>Caf\u00e9 \u201cK7\u201d</title>{GUID_A}</item>",
            "",
        ).encode("cp1252"),
        # Declared UTF-8, but a stray invalid byte.
        rss(f"<item><title>Caf\u00e9 K7</title>{GUID_A}</item>").encode() + b"\xff\xfe",
        rss(f"<item><title>Caf\u00e9 K7</title>{GUID_A}</item>")
        .encode()
        .replace(b"Caf\xc3\xa9", b"Caf\xe9"),
        # Says UTF-16, is UTF-8.
        rss(
            f"<item><title>Caf\u00e9 K7</title>{GUID_A}</item>",
            ' encoding="UTF-16"',
        ).encode(),
    ],
    ids=["undeclared-cp1252", "trailing-junk", "invalid-utf8", "lying-declaration"],
)
def test_wrong_encodings_still_yield_the_entry(server: LocalServer, allow_loopback, body):
    server.routes["/feed"] = reply(200, body, {"Content-Type": "application/rss+xml"})
    (item,) = poll(server).items
    assert item.external_id == "a"
    assert "K7" in item.title
