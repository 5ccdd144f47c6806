"""The visitor's address behind trusted reverse proxies: believed only from a trusted
peer, read from the right of X-Forwarded-For, never crashing on a garbled header."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from earful.proxies import ForwardedClientMiddleware, client_address, parse_trusted

TRUSTED = parse_trusted(["10.0.0.0/8", "2001:db8:ffff::/48", "192.0.2.7"])


@pytest.mark.parametrize(
    ("peer", "header", "seen"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "203.0.113.9, 10.1.1.1", "203.0.113.9"),  # two proxies in a row
        ("10.0.0.5", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left end is the visitor's
        ("198.51.100.4", "203.0.113.9", "198.51.100.4"),  # an untrusted peer: header ignored
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "10.2.2.2, 10.3.3.3", "10.0.0.5"),  # only proxies: keep the peer
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "203.0.113.9, garbage", "10.0.0.5"),  # nothing left of garbage counts
        ("10.0.0.5", "203.0.113.9:51234", "203.0.113.9"),
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8:ffff::2", "2001:db8::1", "2001:db8::1"),
        ("192.0.2.7", '"203.0.113.9"', "203.0.113.9"),
        ("10.0.0.5", "203.0.113.9," * 5000, "203.0.113.9"),
        ("10.0.0.5", "\x00\r\n", "10.0.0.5"),
        ("", "203.0.113.9", ""),
    ],
)
def test_the_visitor_address(peer, header, seen):
    assert client_address(peer, header, TRUSTED) == seen


def test_nothing_is_believed_without_trusted_proxies():
    assert client_address("10.0.0.5", "203.0.113.9", ()) == "10.0.0.5"


def test_a_bad_setting_says_which_entry():
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.0/33'"):
        parse_trusted(["10.0.0.0/8", "10.0.0.0/33"])


def _seen(**meta) -> dict:
    seen = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse()

    ForwardedClientMiddleware(view)(RequestFactory().get("/", **meta))
    return seen


@override_settings(EARFUL_TRUSTED_PROXIES=["127.0.0.1"])
def test_the_middleware_rewrites_remote_addr_and_keeps_the_proxy():
    seen = _seen(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert seen["REMOTE_ADDR"] == "203.0.113.9" and seen["EARFUL_PROXY_ADDR"] == "127.0.0.1"
    seen = _seen(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert seen["REMOTE_ADDR"] == "198.51.100.4" and "EARFUL_PROXY_ADDR" not in seen


@override_settings(EARFUL_TRUSTED_PROXIES=[])
def test_the_default_trusts_no_one():
    seen = _seen(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
