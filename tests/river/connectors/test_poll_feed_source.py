"""A feed source end to end: create it, poll it through actions, find its Mentions."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from earful.river import actions
from earful.river.models import Mention, Source

from .conftest import LocalServer, fixture_bytes, reply

pytestmark = pytest.mark.django_db


def test_polling_a_feed_stores_its_entries_once_and_records_health(
    server: LocalServer, allow_loopback
):
    etag = '"blog-v1"'

    def feed(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            reply(304, b"")(handler)
        else:
            body = fixture_bytes("kestrel_blog.rss")
            reply(200, body, {"Content-Type": "application/rss+xml", "ETag": etag})(handler)

    server.routes["/feed.xml"] = feed
    source = actions.create_source("feed", "Blog", {"url": f"  {server.url('/feed.xml')} "})
    assert source.config == {"url": server.url("/feed.xml")}

    report = actions.poll_source(source)
    assert report.errors == []
    assert report.imported == 3
    source.refresh_from_db()
    assert source.last_ok_at is not None and source.last_error == ""
    assert source.healthy
    assert source.state == {"etag": etag}
    review = Mention.objects.get(source=source, external_id="soundbench-2024-10-kestrel-k7")
    assert "still my daily pair" in review.text
    assert "<strong>" not in review.text  # HTML became text in the pipeline
    assert review.author.handle == "Priya Raman"

    again = actions.poll_source(source)  # 304: nothing new, still healthy
    assert (again.imported, again.errors) == (0, [])
    assert server.requests[-1].headers["If-None-Match"] == etag
    assert Mention.objects.filter(source=source).count() == 3


def test_a_failing_feed_is_recorded_on_the_source(server: LocalServer, allow_loopback):
    server.routes["/feed.xml"] = reply(500, b"down")
    source = actions.create_source("feed", "Broken blog", {"url": server.url("/feed.xml")})
    report = actions.poll_source(source)
    assert report.imported == 0 and "HTTP 500" in report.errors[0]
    source.refresh_from_db()
    assert source.last_error_at is not None and source.last_ok_at is None
    assert "HTTP 500" in source.last_error and server.url("/feed.xml") in source.last_error
    assert not source.healthy
    assert not Mention.objects.filter(source=source).exists()


def test_a_bad_feed_config_is_refused_at_creation():
    with pytest.raises(ValueError, match="must start with http"):
        actions.create_source("feed", "Nope", {"url": "gopher://old.example/feed"})
    assert not Source.objects.filter(name="Nope").exists()
