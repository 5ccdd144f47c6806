"""earful.web.fetch against a real server on 127.0.0.1: the guard, the limits, the charset."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest

from earful.web import BlockedAddress, FetchError, FetchTimeout, TooLarge, TooManyRedirects, fetch
from earful.web.http import Response, blocked_reason, check_address, parse_networks, resolve

from .conftest import LocalServer, reply

LOOPBACK = ["127.0.0.0/8", "::1/128"]
MB = 1024 * 1024


def redirect(location: str, status: int = 302):
    return reply(status, b"", {"Location": location})


# --- the address guard, address by address ------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.10", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private"),  # Python counts 240/4 as private
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:169.254.169.254", "metadata"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 around 169.254.169.254
    ],
)
def test_non_public_addresses_are_refused_with_the_reason(address, reason):
    assert reason in blocked_reason(ipaddress.ip_address(address))
    with pytest.raises(BlockedAddress, match="EARFUL_ALLOW_NETWORKS"):
        check_address(ipaddress.ip_address(address), [])


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert blocked_reason(ipaddress.ip_address(address)) == ""
    check_address(ipaddress.ip_address(address), [])


def test_an_allowed_network_opens_only_itself():
    allowed = parse_networks(["127.0.0.0/8"])
    check_address(ipaddress.ip_address("127.0.0.1"), allowed)
    with pytest.raises(BlockedAddress):
        check_address(ipaddress.ip_address("::1"), allowed)
    with pytest.raises(BlockedAddress):
        check_address(ipaddress.ip_address("10.0.0.1"), allowed)


def test_a_bad_allow_list_entry_is_reported():
    with pytest.raises(ValueError, match="invalid network in the allow list: 'not-a-net'"):
        parse_networks(["not-a-net"])


def test_one_private_address_in_a_dns_answer_refuses_the_host(monkeypatch):
    """A DNS answer that mixes a public and a private address is refused as a whole."""

    def answer(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    with pytest.raises(BlockedAddress, match="rebind.example resolves to 127.0.0.1"):
        resolve("rebind.example", 80, [])


# --- the guard end to end -----------------------------------------------------------------


def test_loopback_is_refused_unless_allowed(server: LocalServer, settings):
    settings.EARFUL_ALLOW_NETWORKS = []
    server.routes["/"] = reply(200, b"secret")
    with pytest.raises(BlockedAddress, match="loopback"):
        fetch(server.url("/"))
    assert server.requests == []  # refused before any connection


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "2130706433",  # 127.0.0.1 as one decimal number
        "0x7f.1",  # hex and short forms that inet_aton accepts
        "127.1",
        "[::ffff:127.0.0.1]",
    ],
)
def test_loopback_in_disguise_is_refused(server: LocalServer, settings, host):
    settings.EARFUL_ALLOW_NETWORKS = []
    server.routes["/"] = reply(200, b"secret")
    with pytest.raises(FetchError):
        fetch(f"http://{host}:{server.port}/")
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.0.1/admin",
        "http://[::ffff:a9fe:a9fe]/",
    ],
)
def test_private_and_metadata_targets_are_refused_without_connecting(settings, url):
    settings.EARFUL_ALLOW_NETWORKS = []
    started = time.monotonic()
    with pytest.raises(BlockedAddress):
        fetch(url, timeout=5)
    assert time.monotonic() - started < 1


def test_allowed_loopback_fetch_works(server: LocalServer, allow_loopback):
    server.routes["/hello"] = reply(200, b"hello", {"Content-Type": "text/plain"})
    response = fetch(server.url("/hello"))
    assert isinstance(response, Response)
    assert (response.status, response.content, response.text) == (200, b"hello", "hello")
    assert server.requests[0].headers["User-Agent"].startswith("Earful/")


def test_error_statuses_are_returned_not_raised(server: LocalServer, allow_loopback):
    server.routes["/gone"] = reply(410, b"gone")
    assert fetch(server.url("/gone")).status == 410


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http://", "nonsense"],
)
def test_urls_that_are_not_http_are_refused(url):
    with pytest.raises(FetchError, match="refused|invalid URL"):
        fetch(url)


def test_connection_refused_is_a_fetch_error(allow_loopback):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=f"127.0.0.1:{port}"):
        fetch(f"http://127.0.0.1:{port}/", timeout=3)


# --- redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.0.0.5/internal",
        "http://[::1]:{port}/",  # loopback over IPv6 is not in the allow list below
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
    ],
)
def test_a_redirect_to_a_forbidden_target_is_refused(server: LocalServer, settings, target):
    settings.EARFUL_ALLOW_NETWORKS = ["127.0.0.0/8"]
    server.routes["/jump"] = redirect(target.format(port=server.port))
    with pytest.raises(FetchError, match="refused"):
        fetch(server.url("/jump"), timeout=5)
    assert [seen.path for seen in server.requests] == ["/jump"]


def test_redirects_are_followed_and_recorded(server: LocalServer, allow_loopback):
    server.routes["/a"] = redirect("/b", 301)
    server.routes["/b"] = redirect(server.url("/c"), 307)
    server.routes["/c"] = reply(200, b"landed")
    response = fetch(server.url("/a"))
    assert response.content == b"landed"
    assert response.url == server.url("/c")
    assert response.redirects == [server.url("/a"), server.url("/b")]


def test_a_redirect_loop_stops_at_the_limit(server: LocalServer, allow_loopback):
    server.routes["/loop"] = redirect("/loop")
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        fetch(server.url("/loop"), max_redirects=3)
    assert len(server.requests) == 4


def test_a_long_redirect_chain_stops_at_the_limit(server: LocalServer, allow_loopback):
    for hop in range(10):
        server.routes[f"/hop{hop}"] = redirect(f"/hop{hop + 1}")
    server.routes["/hop10"] = reply(200, b"too far")
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        fetch(server.url("/hop0"))


def test_credentials_do_not_follow_a_redirect_to_another_origin(
    server: LocalServer, allow_loopback
):
    server.routes["/start"] = redirect(server.url("/end", host="localhost"))
    server.routes["/end"] = reply(200, b"ok")
    fetch(server.url("/start"), headers={"Authorization": "Bearer secret", "X-Other": "kept"})
    first, second = server.requests
    assert first.headers["Authorization"] == "Bearer secret"
    assert "Authorization" not in second.headers
    assert second.headers["X-Other"] == "kept"


# --- size and time limits -----------------------------------------------------------------


def stream_body(total: int, chunk: int = 64 * 1024, announce: bool = False):
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        if announce:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"x" * chunk
        sent = 0
        while sent < total:
            handler.wfile.write(block)
            sent += chunk
        handler.close_connection = True

    return route


def test_a_50_mb_body_is_cut_off_at_the_byte_cap(server: LocalServer, allow_loopback):
    server.routes["/big"] = stream_body(50 * MB)
    started = time.monotonic()
    with pytest.raises(TooLarge, match="larger than 1048576 bytes"):
        fetch(server.url("/big"), max_bytes=MB)
    assert time.monotonic() - started < 5


def test_the_default_cap_applies_to_a_50_mb_body(server: LocalServer, allow_loopback, settings):
    settings.EARFUL_HTTP_MAX_BYTES = 2 * MB
    server.routes["/big"] = stream_body(50 * MB)
    with pytest.raises(TooLarge):
        fetch(server.url("/big"))


def test_an_announced_50_mb_body_is_refused_before_reading(server: LocalServer, allow_loopback):
    server.routes["/big"] = stream_body(50 * MB, announce=True)
    with pytest.raises(TooLarge, match="announces 52428800 bytes"):
        fetch(server.url("/big"), max_bytes=MB)


def test_a_gzip_bomb_is_cut_off_after_decompression(server: LocalServer, allow_loopback):
    bomb = gzip.compress(b"\0" * (50 * MB), compresslevel=9)
    assert len(bomb) < MB
    server.routes["/bomb"] = reply(200, bomb, {"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch(server.url("/bomb"), max_bytes=MB)


def test_a_body_at_the_cap_is_accepted(server: LocalServer, allow_loopback):
    server.routes["/exact"] = reply(200, b"y" * 1000)
    assert len(fetch(server.url("/exact"), max_bytes=1000).content) == 1000


def trickle(delay: float, limit: float = 10.0):
    """Headers at once, then one byte every `delay` seconds: never ends on its own."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        stop = time.monotonic() + limit
        while time.monotonic() < stop:
            handler.wfile.write(b"z")
            handler.wfile.flush()
            time.sleep(delay)

    return route


def test_a_slow_trickle_hits_the_total_deadline(server: LocalServer, allow_loopback):
    server.routes["/slow"] = trickle(0.1)
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="timed out|time limit"):
        fetch(server.url("/slow"), timeout=1.0)
    assert time.monotonic() - started < 2.5


def test_a_server_that_never_answers_times_out(server: LocalServer, allow_loopback):
    server.routes["/silent"] = lambda handler: time.sleep(5)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(server.url("/silent"), timeout=0.7)
    assert time.monotonic() - started < 2


# --- charsets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body", "text"),
    [
        ("text/plain; charset=iso-8859-1", "Grüße".encode("latin-1"), "Grüße"),
        ('text/plain; charset="UTF-16"', "Grüße".encode("utf-16"), "Grüße"),
        ("text/plain;CHARSET=windows-1252", "naïve “quotes”".encode("cp1252"), "naïve “quotes”"),
        ("text/plain", "Grüße".encode(), "Grüße"),  # no charset: UTF-8
        ("text/plain; charset=no-such-charset", "Grüße".encode(), "Grüße"),  # unknown: UTF-8
        ("text/plain; charset=utf-8", b"bad \xff\xfe bytes", "bad \ufffd\ufffd bytes"),
    ],
)
def test_text_follows_the_declared_charset(
    server: LocalServer, allow_loopback, content_type, body, text
):
    server.routes["/t"] = reply(200, body, {"Content-Type": content_type})
    assert fetch(server.url("/t")).text == text
