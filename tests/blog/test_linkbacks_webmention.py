"""Receiving Webmentions: the endpoint's answers, verification in the worker, hostile sources,
and a real client from PyPI (ronkyuu) sending to Earful on loopback."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest
import ronkyuu
from django.core.cache import cache
from django.urls import reverse

from earful.blog.actions.linkbacks import moderate_linkback
from earful.blog.actions.posts import save_post
from earful.blog.models import Linkback, ModerationLog
from earful.river.models import Mention

from ..web.conftest import LocalServer, reply, server  # noqa: F401

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def linkbacks(settings, allow_loopback):
    """Tasks run at once (on commit), loopback sources allowed, rate counters fresh."""
    settings.TASKS = IMMEDIATE
    cache.clear()
    yield settings
    cache.clear()


def reply_page(target: str, text: str = "I tried the Arc phone too.", name: str = "Jo Smith"):
    return (
        "<!doctype html><html><head><title>Jo's notes</title></head><body>"
        '<article class="h-entry">'
        f'<a class="p-author h-card" href="/about">{name}</a>'
        f'<a class="u-in-reply-to" href="{target}">in reply to</a>'
        f'<div class="e-content">{text}</div>'
        "</article></body></html>"
    ).encode()


def target_of(post) -> str:
    return f"http://testserver{post.get_absolute_url()}"


def send(client, django_capture_on_commit_callbacks, source: str, target: str):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("blog:webmention"), {"source": source, "target": target})


@pytest.fixture
def mention(client, django_capture_on_commit_callbacks, linkbacks):
    def go(source: str, target: str):
        return send(client, django_capture_on_commit_callbacks, source, target)

    return go


# --- the endpoint's answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "says"),
    [  # "T": the post's own URL
        ({"target": "T"}, "source URL is missing"),
        ({"source": "https://them.test/a"}, "target URL is missing"),
        ({"source": "ftp://them.test/a", "target": "T"}, "must be an http(s) URL"),
        ({"source": "https://them.test/a", "target": "javascript:alert(1)"}, "http(s) URL"),
        ({"source": "T", "target": "T"}, "the same URL"),
        ({"source": "https://them.test/a", "target": "https://elsewhere.test/blog/x/"}, "not on"),
        ({"source": "https://them.test/a", "target": "http://testserver/blog/"}, "not a blog"),
        ({"source": "https://them.test/a", "target": "http://testserver/blog/nope/"}, "not a pub"),
        ({"source": "https://them.test/a", "target": "https://x.test/" + "a" * 2100}, "longer"),
    ],
)
def test_invalid_requests_get_400_with_the_reason(client, live_post, linkbacks, form, says):
    target = target_of(live_post)
    form = {key: target if value == "T" else value for key, value in form.items()}
    response = client.post(reverse("blog:webmention"), form)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert not Linkback.objects.exists()


def test_a_draft_post_is_not_a_target(client, author, linkbacks):
    draft = save_post(author, "Not yet", "Draft text.")
    response = client.post(
        reverse("blog:webmention"), {"source": "https://them.test/a", "target": target_of(draft)}
    )
    assert response.status_code == 400
    assert "not a published post" in response.content.decode()


def test_get_is_not_allowed(client, db):
    response = client.get(reverse("blog:webmention"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_endpoint_needs_no_csrf_token(live_post, linkbacks, server):  # noqa: F811
    from django.test import Client

    server.routes["/note"] = reply(200, reply_page(target_of(live_post)), HTML)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("blog:webmention"), {"source": server.url("/note"), "target": target_of(live_post)}
    )
    assert response.status_code == 202


def test_the_site_url_host_is_a_target_too(mention, live_post, server, settings):  # noqa: F811
    settings.EARFUL_SITE_URL = "https://blog.example.com"
    target = f"https://blog.example.com{live_post.get_absolute_url()}"
    server.routes["/note"] = reply(200, reply_page(target), HTML)
    assert mention(server.url("/note"), target).status_code == 202
    assert Linkback.objects.get().status == Linkback.Status.PENDING


# --- verification -------------------------------------------------------------------------


def test_accepted_then_verified_and_held(mention, live_post, server):  # noqa: F811
    server.routes["/note"] = reply(200, reply_page(target_of(live_post)), HTML)
    response = mention(server.url("/note"), target_of(live_post))
    assert response.status_code == 202
    assert "Accepted" in response.content.decode()
    linkback = Linkback.objects.get()
    assert linkback.post == live_post
    assert linkback.protocol == Linkback.Protocol.WEBMENTION
    assert linkback.status == Linkback.Status.PENDING
    assert linkback.kind == Linkback.Kind.REPLY
    assert linkback.author_name == "Jo Smith"
    assert linkback.author_url == server.url("/about")
    assert linkback.excerpt == "I tried the Arc phone too."
    assert linkback.verified_at is not None
    assert linkback.mention_id is None  # held: not in the river yet
    assert server.requests[0].headers["User-Agent"].startswith("Earful")


def test_the_record_waits_for_the_worker(client, live_post, linkbacks, settings, server):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    server.routes["/note"] = reply(200, reply_page(target_of(live_post)), HTML)
    response = client.post(
        reverse("blog:webmention"), {"source": server.url("/note"), "target": target_of(live_post)}
    )
    assert response.status_code == 202
    assert Linkback.objects.get().status == Linkback.Status.VERIFYING
    assert server.requests == []  # nothing fetched while the sender waited


def test_an_update_does_not_duplicate(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target, "First version."), HTML)
    mention(server.url("/note"), target)
    server.routes["/note"] = reply(200, reply_page(target, "Edited version."), HTML)
    assert mention(server.url("/note"), target).status_code == 202
    linkback = Linkback.objects.get()
    assert linkback.excerpt == "Edited version."
    assert linkback.status == Linkback.Status.PENDING
    assert len(server.requests) == 2


def test_an_update_of_a_published_linkback_updates_the_river(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target, "Loved the Berlin stop."), HTML)
    mention(server.url("/note"), target)
    linkback = moderate_linkback(Linkback.objects.get(), "approve", None)
    server.routes["/note"] = reply(200, reply_page(target, "Loved the Hamburg stop."), HTML)
    mention(server.url("/note"), target)
    linkback.refresh_from_db()
    assert linkback.status == Linkback.Status.PUBLISHED
    assert Mention.objects.get(pk=linkback.mention_id).text == "Loved the Hamburg stop."


def test_a_trusted_site_is_published_into_the_river(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/first"] = reply(200, reply_page(target, "First note."), HTML)
    server.routes["/second"] = reply(200, reply_page(target, "Second note."), HTML)
    mention(server.url("/first"), target)
    first = Linkback.objects.get()
    moderate_linkback(first, "approve", None)
    mention(server.url("/second"), target)
    second = Linkback.objects.get(source_url=server.url("/second"))
    assert second.status == Linkback.Status.PUBLISHED
    assert Mention.objects.get(pk=second.mention_id).url == server.url("/second")


def test_spam_is_marked_spam(mention, live_post, server):  # noqa: F811
    text = "Buy now! Click here for free money and a casino bonus, act now!"
    server.routes["/spam"] = reply(200, reply_page(target_of(live_post), text), HTML)
    mention(server.url("/spam"), target_of(live_post))
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.SPAM
    assert linkback.spam_score >= 0.5


def test_a_source_that_does_not_link_is_rejected(mention, live_post, server):  # noqa: F811
    server.routes["/note"] = reply(200, b"<p>No link at all.</p>", HTML)
    assert mention(server.url("/note"), target_of(live_post)).status_code == 202
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "does not link to" in linkback.last_error


def test_a_published_source_that_is_gone_is_removed(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target), HTML)
    mention(server.url("/note"), target)
    linkback = moderate_linkback(Linkback.objects.get(), "approve", None)
    mention_id = linkback.mention_id
    assert Mention.objects.filter(pk=mention_id).exists()

    server.routes["/note"] = reply(410, b"gone")
    assert mention(server.url("/note"), target).status_code == 202
    linkback.refresh_from_db()
    assert linkback.status == Linkback.Status.REMOVED
    assert linkback.mention_id is None
    assert not Mention.objects.filter(pk=mention_id).exists()
    assert "410" in linkback.last_error
    assert ModerationLog.objects.filter(linkback=linkback, action="removed").exists()


def test_a_source_that_no_longer_links_is_removed(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target), HTML)
    mention(server.url("/note"), target)
    assert Linkback.objects.get().status == Linkback.Status.PENDING
    server.routes["/note"] = reply(200, b"<p>Link edited out.</p>", HTML)
    mention(server.url("/note"), target)
    assert Linkback.objects.get().status == Linkback.Status.REMOVED


def test_a_moderators_removal_stays(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target), HTML)
    mention(server.url("/note"), target)
    moderate_linkback(Linkback.objects.get(), "remove", None)
    assert mention(server.url("/note"), target).status_code == 202
    assert Linkback.objects.get().status == Linkback.Status.REMOVED
    assert len(server.requests) == 1  # not even fetched again


def test_a_passing_failure_keeps_an_accepted_linkback(mention, live_post, server):  # noqa: F811
    target = target_of(live_post)
    server.routes["/note"] = reply(200, reply_page(target), HTML)
    mention(server.url("/note"), target)
    moderate_linkback(Linkback.objects.get(), "approve", None)
    server.routes["/note"] = reply(503, b"down for maintenance")
    mention(server.url("/note"), target)
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.PUBLISHED
    assert "503" in linkback.last_error


def test_a_new_linkback_whose_source_fails_is_rejected(mention, live_post, server):  # noqa: F811
    server.routes["/note"] = reply(500, b"oops")
    mention(server.url("/note"), target_of(live_post))
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "500" in linkback.last_error


def test_redirects_are_followed_to_the_page(mention, live_post, server):  # noqa: F811
    server.routes["/old"] = reply(301, b"", {"Location": "/new"})
    server.routes["/new"] = reply(200, reply_page(target_of(live_post)), HTML)
    mention(server.url("/old"), target_of(live_post))
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.PENDING
    assert linkback.source_url == server.url("/old")


# --- hostile sources ----------------------------------------------------------------------


def test_a_redirect_loop_is_rejected(mention, live_post, server):  # noqa: F811
    server.routes["/loop"] = reply(302, b"", {"Location": "/loop"})
    mention(server.url("/loop"), target_of(live_post))
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "redirect" in linkback.last_error
    assert len(server.requests) == 6  # the first request and 5 redirects, no more


def streamed(total: int):
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"<p>" + b"x" * 65_536 + b"</p>"
        sent = 0
        while sent < total:
            handler.wfile.write(block)
            sent += len(block)
        handler.close_connection = True

    return route


def test_a_huge_source_is_cut_off_at_the_byte_cap(mention, live_post, server):  # noqa: F811
    server.routes["/huge"] = streamed(50 * 1024 * 1024)
    started = time.monotonic()
    mention(server.url("/huge"), target_of(live_post))
    assert time.monotonic() - started < 5
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "larger than 1048576 bytes" in linkback.last_error


def test_a_slow_source_hits_the_time_cap(mention, live_post, server, settings):  # noqa: F811
    settings.EARFUL_BLOG_LINKBACK_TIMEOUT = 1.0

    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"<")
            handler.wfile.flush()
            time.sleep(0.1)

    server.routes["/slow"] = trickle
    started = time.monotonic()
    mention(server.url("/slow"), target_of(live_post))
    assert time.monotonic() - started < 3
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "time" in linkback.last_error


def test_a_private_address_is_refused_without_connecting(
    mention,
    live_post,
    server,  # noqa: F811
    settings,
):
    settings.EARFUL_ALLOW_NETWORKS = []
    server.routes["/note"] = reply(200, reply_page(target_of(live_post)), HTML)
    assert mention(server.url("/note"), target_of(live_post)).status_code == 202
    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.REJECTED
    assert "loopback" in linkback.last_error
    assert server.requests == []


def test_the_rate_limit_is_per_source_host(mention, live_post, server, settings):  # noqa: F811
    settings.EARFUL_BLOG_LINKBACK_RATE = "2/h"
    target = target_of(live_post)
    for n in range(3):
        server.routes[f"/n{n}"] = reply(200, reply_page(target), HTML)
    assert mention(server.url("/n0"), target).status_code == 202
    assert mention(server.url("/n1"), target).status_code == 202
    refused = mention(server.url("/n2"), target)
    assert refused.status_code == 429
    assert "Too many linkbacks from 127.0.0.1" in refused.content.decode()
    assert Linkback.objects.count() == 2
    # Another host has its own allowance.
    server.routes["/n3"] = reply(200, reply_page(target), HTML)
    assert mention(server.url("/n3", host="localhost"), target).status_code == 202


# --- a real client ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ronkyuu_discovers_and_sends_and_earful_verifies(
    live_server,
    live_post,
    linkbacks,
    server,  # noqa: F811
):
    target = f"{live_server.url}{live_post.get_absolute_url()}"
    server.routes["/reply"] = reply(200, reply_page(target, "Sent by ronkyuu."), HTML)

    status, endpoint = ronkyuu.discoverEndpoint(target)
    assert (status, endpoint) == (200, f"{live_server.url}/blog/webmention")
    response = ronkyuu.sendWebmention(server.url("/reply"), target, timeout=10)
    assert response.status_code == 202

    linkback = Linkback.objects.get()
    assert linkback.status == Linkback.Status.PENDING
    assert (linkback.kind, linkback.excerpt) == (Linkback.Kind.REPLY, "Sent by ronkyuu.")
    # Sent again (the page was updated): still one linkback.
    server.routes["/reply"] = reply(200, reply_page(target, "Updated."), HTML)
    assert ronkyuu.sendWebmention(server.url("/reply"), target, timeout=10).status_code == 202
    assert Linkback.objects.get().excerpt == "Updated."
