"""The visitor's address behind a reverse proxy.

Rate limits (blog comments, tour feedback) and logs key on REMOTE_ADDR. Behind nginx or a
load balancer that is the proxy's address, so every visitor would share one allowance.
When the connecting peer is one of EARFUL_TRUSTED_PROXIES, this middleware walks
X-Forwarded-For from the right, past the trusted hops, and puts the first address that is
not one of them in REMOTE_ADDR (the proxy's own address is kept in
EARFUL_PROXY_ADDR). The header is never read from a peer that is not trusted, and only
its right end is believed: a visitor can write anything at its left.

python-ipware was considered: its proxy_list matches trusted prefixes inside the header
rather than checking the connecting peer, which is the part that cannot be forged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_HOPS = 20  # a longer header is read no further than this from its right end


def parse_trusted(values: Iterable[str]) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"EARFUL_TRUSTED_PROXIES: {value!r} is not an address or network ({exc})"
            ) from None
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The visitor's address: the peer unless it is a trusted proxy; then the rightmost
    address in X-Forwarded-For that is not a trusted proxy (the peer when the header
    holds nothing usable)."""
    address = _address(peer)
    if address is None or not trusted or not _trusted(address, trusted):
        return peer
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()][-MAX_HOPS:]
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:
            return peer  # a garbled hop: believe nothing left of it
        if not _trusted(found, trusted):
            return str(found)
    return peer


class ForwardedClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = parse_trusted(getattr(settings, "EARFUL_TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted:
            peer = request.META.get("REMOTE_ADDR", "")
            found = client_address(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""), self.trusted)
            if found != peer:
                request.META["EARFUL_PROXY_ADDR"] = peer
                request.META["REMOTE_ADDR"] = found
        return self.get_response(request)
