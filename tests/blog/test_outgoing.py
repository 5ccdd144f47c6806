"""Linkbacks out: a published post tells the pages it links to, through Webmention or
Pingback, records each result for its author, retries with back-off, and notifies again
when the post changes."""

import xmlrpc.client
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from earful.blog.actions import outgoing
from earful.blog.actions.outgoing import (
    is_due,
    links_in,
    parse_pingback_answer,
    retry_delay,
    send_linkbacks,
)
from earful.blog.actions.posts import publish_post, save_post
from earful.blog.models import OutgoingLink, Post
from earful.blog.outgoing_queries import outgoing_links, outgoing_summary
from earful.blog.river_link import absolute
from tests.blog.fixtures.webmention_rocks.cases import CASES, install
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.django_db

SITE = "http://blog.example.test"
Status = OutgoingLink.Status


@pytest.fixture
def site(settings, allow_loopback):
    """The blog lives elsewhere than the loopback pages it links to."""
    settings.EARFUL_SITE_URL = SITE
    return settings


def write(author, body, *, post=None, title="Day 2: Hamburg"):
    post = save_post(author, title, body, post=post)
    return post if post.is_live else publish_post(post)


def posts_to(server, path):  # noqa: F811
    """The form bodies POSTed to `path` (query string included when given)."""
    return [
        {key: values[0] for key, values in parse_qs(seen.body.decode()).items()}
        for seen in server.requests
        if seen.method == "POST" and (seen.path == path or seen.path.split("?")[0] == path)
    ]


def page_with(headers=None, body=b"<p>A page.</p>"):
    return reply(200, body, {"Content-Type": "text/html", **(headers or {})})


# --- which links --------------------------------------------------------------------------


def test_only_absolute_http_links_to_other_sites_count_once_each():
    html = (
        '<p><a href="https://fans.example/review">one</a> '
        '<a href="https://fans.example/review">again</a> '
        '<a href="/blog/other-post/">relative</a> <a href="#top">fragment</a> '
        '<a href="mailto:maya@example.com">mail</a> <a href="javascript:alert(1)">js</a> '
        '<a href="http://BLOG.example.test/blog/older/">our own</a> '
        '<a href="http://[::1">broken</a> <a>no href</a> '
        f'<a href="https://long.example/{"x" * 2100}">too long</a> '
        '<a href="http://shop.example/arc?a=1&amp;b=2#specs">shop</a></p>'
        '<img src="https://img.example/photo.jpg">'
    )
    assert links_in(html, "blog.example.test") == [
        "https://fans.example/review",
        "http://shop.example/arc?a=1&b=2#specs",
    ]


def test_a_draft_sends_nothing(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    post = save_post(author, "Draft", f"See [this]({server.url('/page')}).")
    assert send_linkbacks(post) == []
    assert server.requests == [] and not OutgoingLink.objects.exists()


# --- webmention ---------------------------------------------------------------------------


def test_every_webmention_rocks_discovery_test_gets_exactly_one_webmention(
    site,
    author,
    server,  # noqa: F811
):
    base = server.url("").rstrip("/")
    targets = [install(case, server.routes, base) for case in CASES]
    body = "Our tour was tested:\n\n" + "\n".join(
        f"- [Test {case.number}]({url})" for case, url in zip(CASES, targets, strict=True)
    )
    post = write(author, body)
    source = absolute(post.get_absolute_url())
    assert source.startswith(SITE + "/blog/")

    rows = send_linkbacks(post)

    assert [row.target_url for row in rows] == targets
    for case, target, row in zip(CASES, targets, rows, strict=True):
        assert (row.status, row.protocol) == (Status.SENT, "webmention"), (case.name, row.detail)
        assert row.endpoint == server.url(case.expected), case.name
        assert row.response_status == 202 and row.attempts == 1
        assert row.last_attempt_at is not None and row.next_attempt_at is None
        assert posts_to(server, case.expected) == [{"source": source, "target": target}]
        for wrong in case.wrong:
            assert posts_to(server, wrong) == [], case.name
    # The query string of test 21 stays in the URL and out of the body.
    (seen,) = [s for s in server.requests if s.method == "POST" and "/test/21/" in s.path]
    assert seen.path == "/test/21/webmention?query=yes" and b"query" not in seen.body
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sum(seen.method == "POST" for seen in server.requests) == len(CASES)


def test_the_author_sees_the_endpoints_answer(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(201, b"Created, thank you", {"Location": "/wm/status/7"})
    post = write(author, f"See [this]({server.url('/page')}).")
    (row,) = send_linkbacks(post)
    assert row.status == Status.SENT and row.response_status == 201
    assert "Accepted (201)" in row.detail and "/wm/status/7" in row.detail
    assert "Created, thank you" in row.detail
    assert outgoing_links(post) == [row]
    assert outgoing_summary(post) == {"sent": 1}


def test_webmention_is_preferred_to_pingback(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with(
        {"Link": "</wm>; rel=webmention", "X-Pingback": server.url("/xmlrpc")}
    )
    server.routes["/wm"] = reply(202, b"")
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/page')})"))
    assert row.protocol == "webmention" and row.status == Status.SENT
    assert not [seen for seen in server.requests if seen.path == "/xmlrpc"]


def test_a_page_without_endpoints_is_recorded_as_such(site, author, server):  # noqa: F811
    server.routes["/plain"] = page_with()
    post = write(author, f"[a]({server.url('/plain')}) and [b]({server.url('/gone')})")
    plain, gone = send_linkbacks(post)
    assert plain.status == Status.NO_ENDPOINT and plain.response_status == 200
    assert "no Webmention or Pingback endpoint" in plain.detail
    assert gone.status == Status.NO_ENDPOINT and "answered 404" in gone.detail
    assert not is_due(plain, post, timezone.now() + timedelta(days=30))


def test_a_4xx_answer_is_a_final_failure(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(400, b"target is not a valid resource here")
    post = write(author, f"[x]({server.url('/page')})")
    (row,) = send_linkbacks(post)
    assert row.status == Status.GAVE_UP and row.response_status == 400
    assert row.next_attempt_at is None and row.attempts == 1
    assert "refused it (400)" in row.detail and "not a valid resource" in row.detail
    requests = len(server.requests)
    send_linkbacks(post, now=timezone.now() + timedelta(days=2))
    assert len(server.requests) == requests


# --- retries ------------------------------------------------------------------------------


def test_failures_are_retried_with_back_off_then_given_up(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(503, b"busy")
    post = write(author, f"[x]({server.url('/page')})")
    now = timezone.now() + timedelta(seconds=1)

    (row,) = send_linkbacks(post, now=now)
    assert (row.status, row.attempts, row.response_status) == (Status.FAILED, 1, 503)
    assert row.next_attempt_at == now + timedelta(minutes=5)
    assert "answered 503" in row.detail

    # Not due yet: nothing is sent.
    sent = len(posts_to(server, "/wm"))
    (row,) = send_linkbacks(post, now=now + timedelta(minutes=4))
    assert row.attempts == 1 and len(posts_to(server, "/wm")) == sent

    delays = []
    while row.status == Status.FAILED:
        now = row.next_attempt_at
        (row,) = send_linkbacks(post, now=now)
        if row.next_attempt_at:
            delays.append(row.next_attempt_at - now)
    assert delays == [timedelta(minutes=m) for m in (10, 20, 40, 80)]
    assert row.status == Status.GAVE_UP and row.attempts == outgoing.MAX_ATTEMPTS
    assert "Gave up after 6 attempts" in row.detail
    assert len(posts_to(server, "/wm")) == outgoing.MAX_ATTEMPTS

    # Given up for this version of the post; the next version tries again, afresh.
    server.routes["/wm"] = reply(202, b"")
    send_linkbacks(post, now=now + timedelta(days=1))
    assert len(posts_to(server, "/wm")) == outgoing.MAX_ATTEMPTS
    # The author edits the post the next day (the clock of the edit is set by hand).
    write(author, f"[x]({server.url('/page')}), updated", post=post)
    Post.objects.filter(pk=post.pk).update(updated_at=now + timedelta(days=1))
    post.refresh_from_db()
    (row,) = send_linkbacks(post, now=now + timedelta(days=1, minutes=1))
    assert row.status == Status.SENT and row.attempts == 1


def test_too_many_requests_is_retried_and_then_succeeds(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(429, b"slow down")
    post = write(author, f"[x]({server.url('/page')})")
    now = timezone.now() + timedelta(seconds=1)
    (row,) = send_linkbacks(post, now=now)
    assert row.status == Status.FAILED and row.response_status == 429
    server.routes["/wm"] = reply(202, b"")
    (row,) = send_linkbacks(post, now=row.next_attempt_at)
    assert row.status == Status.SENT and row.attempts == 2 and row.next_attempt_at is None


def test_retry_delays_double_up_to_a_cap():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert retry_delay(30) == outgoing.RETRY_CAP


def test_the_worker_retries_due_failures(site, author, server, settings):  # noqa: F811
    from earful.blog.tasks import enqueue_blog_work

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(500, b"oops")
    post = write(author, f"[x]({server.url('/page')})")
    (row,) = send_linkbacks(post)
    assert row.status == Status.FAILED
    assert enqueue_blog_work(now=timezone.now())["retried"] == []  # not due yet
    server.routes["/wm"] = reply(202, b"")
    OutgoingLink.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert enqueue_blog_work()["retried"] == [post.pk]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2


def test_publishing_sends_in_the_worker(
    site,
    author,
    server,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(202, b"")
    post = save_post(author, "Launch", f"Thanks to [the fans]({server.url('/page')}).")
    with django_capture_on_commit_callbacks(execute=True):
        publish_post(post)
    assert posts_to(server, "/wm") == [
        {"source": absolute(post.get_absolute_url()), "target": server.url("/page")}
    ]
    assert OutgoingLink.objects.get(post=post).status == Status.SENT


# --- updates ------------------------------------------------------------------------------


def test_an_update_re_sends_and_a_removed_link_gets_one_last_webmention(
    site,
    author,
    server,  # noqa: F811
):
    for name in ("a", "b", "c"):
        server.routes[f"/{name}"] = page_with({"Link": f"</wm-{name}>; rel=webmention"})
        server.routes[f"/wm-{name}"] = reply(202, b"")
    a, b, c = (server.url(f"/{name}") for name in ("a", "b", "c"))
    post = write(author, f"[a]({a}) and [b]({b})")

    send_linkbacks(post)
    assert len(posts_to(server, "/wm-a")) == len(posts_to(server, "/wm-b")) == 1
    send_linkbacks(post)  # the same version: nothing new to say
    assert len(posts_to(server, "/wm-a")) == len(posts_to(server, "/wm-b")) == 1

    # The update drops b and adds c: a is told again, b one last time, c for the first time.
    write(author, f"[a]({a}), now with [c]({c})", post=post)
    rows = {row.target_url: row for row in send_linkbacks(post)}
    assert len(posts_to(server, "/wm-a")) == 2
    assert len(posts_to(server, "/wm-b")) == 2
    assert len(posts_to(server, "/wm-c")) == 1
    assert rows[b].still_linked is False and rows[b].status == Status.SENT
    assert rows[a].still_linked and rows[c].still_linked
    assert [row.target_url for row in outgoing_links(post)] == [a, c, b]

    # Another update: b is gone for good and hears nothing more.
    write(author, f"[a]({a}) and [c]({c}), fixed a typo", post=post)
    send_linkbacks(post)
    assert len(posts_to(server, "/wm-a")) == 3
    assert len(posts_to(server, "/wm-b")) == 2
    assert len(posts_to(server, "/wm-c")) == 2

    # b comes back: it is linked again and told again.
    write(author, f"[a]({a}), [b]({b}), [c]({c})", post=post)
    rows = {row.target_url: row for row in send_linkbacks(post)}
    assert rows[b].still_linked and len(posts_to(server, "/wm-b")) == 3
    assert OutgoingLink.objects.filter(post=post).count() == 3


def test_a_lagging_worker_clock_does_not_resend_the_same_version(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    server.routes["/wm"] = reply(202, b"")
    post = write(author, f"[x]({server.url('/page')})")
    behind = post.updated_at - timedelta(seconds=30)
    send_linkbacks(post, now=behind)
    send_linkbacks(post, now=behind + timedelta(seconds=1))
    assert len(posts_to(server, "/wm")) == 1


# --- pingback -----------------------------------------------------------------------------


def pingback_receiver(server, answer):  # noqa: F811
    """An XML-RPC endpoint that answers `answer(params)` (bytes) to each call."""
    calls = []

    def route(handler):
        seen = server.requests[-1]
        params, method = xmlrpc.client.loads(seen.body)
        calls.append((method, params, seen.headers.get("Content-Type")))
        body = answer(params)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route, calls


def xmlrpc_answer(value):
    return xmlrpc.client.dumps(value, methodresponse=True).encode()


def test_pingback_through_the_x_pingback_header_and_a_link_element(site, author, server):  # noqa: F811
    route, calls = pingback_receiver(
        server, lambda params: xmlrpc_answer((f"Pingback from {params[0]} registered.",))
    )
    server.routes["/xmlrpc"] = route
    server.routes["/by-header"] = page_with({"X-Pingback": server.url("/xmlrpc")})
    server.routes["/by-link"] = page_with(
        body=f'<html><head><link rel="pingback" href="{server.url("/xmlrpc")}">'.encode()
    )
    post = write(author, f"[h]({server.url('/by-header')}) [l]({server.url('/by-link')})")
    source = absolute(post.get_absolute_url())

    rows = send_linkbacks(post)

    for row in rows:
        assert (row.status, row.protocol) == (Status.SENT, "pingback"), row.detail
        assert row.endpoint == server.url("/xmlrpc") and row.response_status == 200
        assert row.detail == f"Accepted: Pingback from {source} registered."
    assert [(method, params) for method, params, _ in calls] == [
        ("pingback.ping", (source, server.url("/by-header"))),
        ("pingback.ping", (source, server.url("/by-link"))),
    ]
    assert calls[0][2].startswith("text/xml")


@pytest.mark.parametrize(
    ("code", "status", "retried"),
    [
        (17, Status.GAVE_UP, False),  # the source does not link to the target
        (33, Status.GAVE_UP, False),  # the target cannot be used
        (0, Status.GAVE_UP, False),
        (48, Status.SENT, False),  # already registered: it is there
        (50, Status.FAILED, True),  # upstream trouble: try again later
    ],
)
def test_pingback_faults_are_recorded(site, author, server, code, status, retried):  # noqa: F811
    fault = xmlrpc.client.Fault(code, f"fault number {code}")
    route, _ = pingback_receiver(server, lambda params: xmlrpc_answer(fault))
    server.routes["/xmlrpc"] = route
    server.routes["/page"] = page_with({"X-Pingback": server.url("/xmlrpc")})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/page')})"))
    assert row.status == status and row.protocol == "pingback"
    assert row.detail == f"Pingback fault {code}: fault number {code}"
    assert (row.next_attempt_at is not None) == retried


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<methodResponse><params><param><value><string>&lol3;</string></value></param></params>
</methodResponse>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodResponse><params><param><value><string>&xxe;</string></value></param></params>
</methodResponse>"""


@pytest.mark.parametrize(
    "answer",
    [BILLION_LAUGHS, XXE, b"<html>not xml-rpc</html>", b"<methodResponse>", b"", b"\xff\xfe"],
    ids=["billion laughs", "external entity", "html", "truncated", "empty", "binary"],
)
def test_hostile_or_broken_pingback_answers_are_refused(answer):
    with pytest.raises(ValueError, match="not an XML-RPC answer"):
        parse_pingback_answer(answer)


def test_a_hostile_pingback_answer_is_recorded_not_obeyed(site, author, server):  # noqa: F811
    server.routes["/xmlrpc"] = reply(200, BILLION_LAUGHS, {"Content-Type": "text/xml"})
    server.routes["/page"] = page_with({"X-Pingback": server.url("/xmlrpc")})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/page')})"))
    assert row.status == Status.GAVE_UP and "not an XML-RPC answer" in row.detail
    assert "lol" not in row.detail


def test_pingback_answers_parse_like_xmlrpc_client_writes_them():
    assert parse_pingback_answer(xmlrpc_answer(("ok",))) == "ok"
    with pytest.raises(xmlrpc.client.Fault) as fault:
        parse_pingback_answer(xmlrpc_answer(xmlrpc.client.Fault(16, "no source")))
    assert fault.value.faultCode == 16


# --- hostile targets ----------------------------------------------------------------------


def test_a_target_on_a_private_address_is_not_fetched(settings, author, server):  # noqa: F811
    settings.EARFUL_SITE_URL = SITE  # and no allow_loopback: the real rules
    server.routes["/page"] = page_with({"Link": "</wm>; rel=webmention"})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/page')})"))
    assert row.status == Status.GAVE_UP and "loopback" in row.detail
    assert server.requests == []


def test_an_endpoint_on_a_private_address_is_not_posted_to(site, author, server):  # noqa: F811
    server.routes["/page"] = page_with({"Link": "<http://10.1.2.3/wm>; rel=webmention"})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/page')})"))
    assert row.status == Status.GAVE_UP and row.endpoint == "http://10.1.2.3/wm"
    assert "private address" in row.detail


def test_a_huge_page_is_not_read_to_the_end(site, author, server, monkeypatch):  # noqa: F811
    monkeypatch.setattr(outgoing, "DISCOVERY_MAX_BYTES", 100_000)
    huge = b"<p>" + b"x" * 200_000 + b'</p><a rel="webmention" href="/wm">wm</a>'
    server.routes["/huge"] = reply(200, huge, {"Content-Type": "text/html"})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/huge')})"))
    assert row.status == Status.GAVE_UP and "over 100000" in row.detail
    assert posts_to(server, "/wm") == []


def test_a_huge_page_without_a_length_is_cut_off_too(site, author, server, monkeypatch):  # noqa: F811
    monkeypatch.setattr(outgoing, "DISCOVERY_MAX_BYTES", 100_000)

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<p>" + b"x" * 16_000 + b"</p>"
        for _ in range(20):  # 320 kB, more than the cap, with no Content-Length
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    server.routes["/endless"] = endless
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/endless')})"))
    assert row.status == Status.GAVE_UP and "larger than 100000 bytes" in row.detail


def test_a_slow_page_times_out_and_is_retried(site, author, server, monkeypatch):  # noqa: F811
    import time

    monkeypatch.setattr(outgoing, "TIMEOUT", 0.3)

    def slow(handler):
        time.sleep(1.0)
        page_with({"Link": "</wm>; rel=webmention"})(handler)

    server.routes["/slow"] = slow
    started = time.monotonic()
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/slow')})"))
    assert time.monotonic() - started < 1.0
    assert row.status == Status.FAILED and row.next_attempt_at is not None
    assert "time" in row.detail


def test_a_redirect_loop_is_given_up(site, author, server):  # noqa: F811
    server.routes["/a"] = reply(302, b"", {"Location": "/b"})
    server.routes["/b"] = reply(302, b"", {"Location": "/a"})
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/a')})"))
    assert row.status == Status.GAVE_UP and "redirect loop" in row.detail
    assert len(server.requests) == outgoing.MAX_REDIRECTS + 1


def test_a_page_answering_5xx_is_retried(site, author, server):  # noqa: F811
    server.routes["/down"] = reply(502, b"bad gateway")
    (row,) = send_linkbacks(write(author, f"[x]({server.url('/down')})"))
    assert row.status == Status.FAILED and row.response_status == 502
    assert row.detail == "The page answered 502."
