"""Receiving Pingbacks: Python's own xmlrpc.client against Earful on loopback, the spec's
fault codes, and XML that tries to hurt the parser."""

from __future__ import annotations

import time
import xmlrpc.client

import pytest
from django.core.cache import cache
from django.urls import reverse

from earful.blog.actions.posts import save_post
from earful.blog.models import Linkback

from ..web.conftest import reply, server  # noqa: F401

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def pingbacks(settings, allow_loopback):
    cache.clear()
    yield settings
    cache.clear()


def linking_page(target: str) -> bytes:
    return (
        "<html><head><title>A fan's blog</title></head><body>"
        f'<p>Read <a href="{target}">their tour diary</a>, it is good.</p></body></html>'
    ).encode()


@pytest.fixture
def ping(transactional_db, live_server, live_post, pingbacks, server):  # noqa: F811
    """Send pingback.ping with xmlrpc.client.ServerProxy; the answer or the Fault."""
    proxy = xmlrpc.client.ServerProxy(f"{live_server.url}/blog/xmlrpc")
    target = f"{live_server.url}{live_post.get_absolute_url()}"

    def go(source: str, to: str = target):
        try:
            return proxy.pingback.ping(source, to)
        except xmlrpc.client.Fault as fault:
            return fault

    go.target = target
    go.proxy = proxy
    yield go
    proxy("close")()  # end the kept-alive connection before the live server's DB goes


def test_a_pingback_is_verified_and_registered(ping, server):  # noqa: F811
    server.routes["/fan"] = reply(200, linking_page(ping.target), HTML)
    answer = ping(server.url("/fan"))
    assert isinstance(answer, str)
    assert "registered" in answer
    linkback = Linkback.objects.get()
    assert linkback.protocol == Linkback.Protocol.PINGBACK
    assert linkback.status == Linkback.Status.PENDING
    assert linkback.title == "A fan's blog"
    assert "Read their tour diary, it is good." in linkback.excerpt
    assert linkback.verified_at is not None

    again = ping(server.url("/fan"))
    assert isinstance(again, xmlrpc.client.Fault)
    assert again.faultCode == 48
    assert Linkback.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "code", "says"),
    [
        ("no link", 17, "does not link"),
        ("404", 16, "404"),
        ("410", 16, "410"),
        ("5xx", 50, "503"),
        ("not http", 16, "http(s)"),
        ("other site", 33, "not on this site"),
        ("not a post", 33, "not a blog post"),
        ("missing post", 32, "not a published post"),
        ("draft post", 32, "not a published post"),
        ("same url", 0, "same URL"),
    ],
)
def test_faults_follow_the_spec(ping, server, case, code, says):  # noqa: F811
    server.routes["/fan"] = reply(200, linking_page(ping.target), HTML)
    server.routes["/nolink"] = reply(200, b"<p>Nothing here.</p>", HTML)
    server.routes["/404"] = reply(404, b"")
    server.routes["/410"] = reply(410, b"")
    server.routes["/5xx"] = reply(503, b"")
    base = ping.target.rsplit("/blog/", 1)[0]
    calls = {
        "no link": lambda: ping(server.url("/nolink")),
        "404": lambda: ping(server.url("/404")),
        "410": lambda: ping(server.url("/410")),
        "5xx": lambda: ping(server.url("/5xx")),
        "not http": lambda: ping("file:///etc/passwd"),
        "other site": lambda: ping(server.url("/fan"), "https://elsewhere.test/blog/day-1-berlin/"),
        "not a post": lambda: ping(server.url("/fan"), f"{base}/blog/"),
        "missing post": lambda: ping(server.url("/fan"), f"{base}/blog/no-such-post/"),
        "draft post": lambda: ping(server.url("/fan"), f"{base}/blog/{_draft_slug()}/"),
        "same url": lambda: ping(ping.target, ping.target),
    }
    fault = calls[case]()
    assert isinstance(fault, xmlrpc.client.Fault), fault
    assert fault.faultCode == code
    assert says in fault.faultString
    assert not Linkback.objects.exists()


def _draft_slug() -> str:
    from earful.blog.models import AuthorProfile

    return save_post(AuthorProfile.objects.get(), "Draft", "Not out yet.").slug


def test_a_private_source_is_refused(ping, server, settings):  # noqa: F811
    settings.EARFUL_ALLOW_NETWORKS = []
    server.routes["/fan"] = reply(200, linking_page(ping.target), HTML)
    fault = ping(server.url("/fan"))
    assert (fault.faultCode, "loopback" in fault.faultString) == (16, True)
    assert server.requests == []


def test_the_rate_limit_denies_access(ping, server, settings):  # noqa: F811
    settings.EARFUL_BLOG_LINKBACK_RATE = "1/m"
    server.routes["/a"] = reply(200, linking_page(ping.target), HTML)
    server.routes["/b"] = reply(200, linking_page(ping.target), HTML)
    assert isinstance(ping(server.url("/a")), str)
    fault = ping(server.url("/b"))
    assert fault.faultCode == 49
    assert "Too many" in fault.faultString


def test_unknown_methods_and_bad_params_are_faults(ping):
    with pytest.raises(xmlrpc.client.Fault) as unknown:
        ping.proxy.system.shutdown()
    assert unknown.value.faultCode == -32601
    with pytest.raises(xmlrpc.client.Fault) as params:
        ping.proxy.pingback.ping("only one")
    assert params.value.faultCode == -32602
    with pytest.raises(xmlrpc.client.Fault) as types:
        ping.proxy.pingback.ping(1, 2)
    assert types.value.faultCode == -32602


# --- hostile XML, sent raw ----------------------------------------------------------------


def call(client, body: bytes):
    response = client.post(reverse("blog:pingback"), body, content_type="text/xml")
    assert response.status_code == 200
    return xmlrpc.client.loads(response.content)


def method_call(source: str, target: str, prolog: str = "") -> bytes:
    return (
        f"<?xml version='1.0'?>{prolog}<methodCall><methodName>pingback.ping</methodName>"
        f"<params><param><value><string>{source}</string></value></param>"
        f"<param><value><string>{target}</string></value></param></params></methodCall>"
    ).encode()


XXE = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "body",
    [
        method_call("&xxe;", "http://testserver/blog/x/", XXE),
        method_call("&lol9;", "http://testserver/blog/x/", LAUGHS),
        b"<methodCall><methodName>pingback.ping</methodName><params>",  # cut short
        b"not xml at all",
        b"<methodCall><params><param><value><int>abc</int></value></param></params></methodCall>",
        b"",
    ],
    ids=["xxe", "billion-laughs", "truncated", "not-xml", "bad-int", "empty"],
)
def test_hostile_xml_is_a_parse_fault(client, db, body):
    client.get(reverse("blog:pingback"))  # the first request pays for imports: not timed
    started = time.monotonic()
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(client, body)
    assert fault.value.faultCode in (-32700, -32600)
    assert "root:" not in fault.value.faultString
    assert time.monotonic() - started < 1
    assert not Linkback.objects.exists()


def test_an_oversized_call_is_refused(client, db):
    body = method_call("https://a.test/" + "x" * 70_000, "http://testserver/blog/x/")
    response = client.post(reverse("blog:pingback"), body, content_type="text/xml")
    assert response.status_code == 413


def test_get_is_not_allowed(client, db):
    response = client.get(reverse("blog:pingback"))
    assert (response.status_code, response["Allow"]) == (405, "POST")
