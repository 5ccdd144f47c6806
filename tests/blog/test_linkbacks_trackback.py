"""Receiving TrackBacks: form POST in, XML out, verified in the worker, always held."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from earful.blog.actions.linkbacks import moderate_linkback
from earful.blog.actions.posts import save_post
from earful.blog.models import Linkback

from ..web.conftest import reply, server  # noqa: F401

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def trackback(client, django_capture_on_commit_callbacks, settings, allow_loopback):
    settings.TASKS = IMMEDIATE
    cache.clear()

    def go(slug: str, **form):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("blog:trackback", args=[slug]), form)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        root = ET.fromstring(response.content)
        assert root.tag == "response"
        return root.findtext("error"), root.findtext("message")

    yield go
    cache.clear()


def linking_page(target: str) -> bytes:
    return f'<html><body><p>We wrote <a href="{target}">about this</a>.</p></body></html>'.encode()


def test_a_trackback_is_stored_verified_and_held(trackback, live_post, server):  # noqa: F811
    target = f"http://testserver{live_post.get_absolute_url()}"
    server.routes["/entry"] = reply(200, linking_page(target), HTML)
    answer = trackback(
        live_post.slug,
        url=server.url("/entry"),
        title="<b>Our</b> take",
        excerpt="A <script>alert(1)</script>long excerpt about the tour",
        blog_name="Fan Blog",
    )
    assert answer == ("0", None)
    linkback = Linkback.objects.get()
    assert linkback.protocol == Linkback.Protocol.TRACKBACK
    assert linkback.target_url == target
    assert linkback.status == Linkback.Status.PENDING
    assert (linkback.title, linkback.site_name) == ("Our take", "Fan Blog")
    assert "<" not in linkback.excerpt
    assert linkback.verified_at is not None


def test_trackbacks_are_held_even_from_a_trusted_site(trackback, live_post, server):  # noqa: F811
    target = f"http://testserver{live_post.get_absolute_url()}"
    server.routes["/one"] = reply(200, linking_page(target), HTML)
    server.routes["/two"] = reply(200, linking_page(target), HTML)
    trackback(live_post.slug, url=server.url("/one"))
    moderate_linkback(Linkback.objects.get(), "approve", None)
    trackback(live_post.slug, url=server.url("/two"))
    assert Linkback.objects.get(source_url=server.url("/two")).status == Linkback.Status.PENDING


def test_a_source_that_does_not_link_is_rejected(trackback, live_post, server):  # noqa: F811
    server.routes["/entry"] = reply(200, b"<p>Nothing about you.</p>", HTML)
    assert trackback(live_post.slug, url=server.url("/entry")) == ("0", None)
    assert Linkback.objects.get().status == Linkback.Status.REJECTED


def test_a_repeated_ping_does_not_duplicate(trackback, live_post, server):  # noqa: F811
    target = f"http://testserver{live_post.get_absolute_url()}"
    server.routes["/entry"] = reply(200, linking_page(target), HTML)
    trackback(live_post.slug, url=server.url("/entry"), title="First")
    trackback(live_post.slug, url=server.url("/entry"), title="Second")
    assert Linkback.objects.get().title == "Second"


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({}, "URL is missing"),
        ({"url": "javascript:alert(1)"}, "http(s) URL"),
        ({"url": "http://" + "a" * 2100 + ".test/"}, "longer than"),
    ],
)
def test_bad_pings_get_error_1(trackback, live_post, form, says):
    error, message = trackback(live_post.slug, **form)
    assert error == "1"
    assert says in message
    assert not Linkback.objects.exists()


def test_unknown_and_unpublished_posts_get_error_1(trackback, live_post, author):
    draft = save_post(author, "Draft", "Not yet.")
    for slug in ("no-such-post", draft.slug):
        error, message = trackback(slug, url="https://them.test/entry")
        assert error == "1"
        assert "no published post" in message
    assert not Linkback.objects.exists()


def test_the_rate_limit_answers_error_1(trackback, live_post, settings, server):  # noqa: F811
    settings.EARFUL_BLOG_LINKBACK_RATE = "1/h"
    server.routes["/a"] = reply(200, b"", HTML)
    trackback(live_post.slug, url=server.url("/a"))
    error, message = trackback(live_post.slug, url=server.url("/b"))
    assert (error, "Too many" in message) == ("1", True)


def test_get_is_not_allowed(client, live_post):
    response = client.get(reverse("blog:trackback", args=[live_post.slug]))
    assert (response.status_code, response["Allow"]) == (405, "POST")
