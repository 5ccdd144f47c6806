"""Safe outbound HTTP: everything Earful fetches from the internet goes through `fetch`.

The guard against server-side request forgery sits in the connection layer, not in front of
it. httpx hands each new connection to an httpcore "network backend"; ours resolves the host
name itself, refuses the whole answer when any address is private (loopback, link-local,
metadata ...), and then opens the socket to exactly the address it checked. Because the
check and the connect use the same `getaddrinfo` answer there is no second lookup an
attacker's DNS server could answer differently (DNS rebinding). The URL is never rewritten,
so the Host header and the TLS server name (SNI, certificate check) stay the real host name.
This covers every hop of a redirect chain and every connection the pool opens, and it does
not depend on private attributes of httpx: the transport below is a thin public-API bridge
from httpx to an httpcore pool built with our backend.

Redirects are followed here, one hop at a time, so each new URL's scheme is checked too and
credentials are not carried to another origin. Bodies are streamed and cut off at a byte
limit; a deadline bounds the wall time of the whole fetch, including slow trickles.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import ipaddress
import os
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

USER_AGENT = "Earful/0.1 (+https://github.com/earful)"
DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Headers that must not follow a redirect to another origin.
CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack ...
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}


class FetchError(Exception):
    """A fetch failed; the message says which URL and why."""


class BlockedAddress(FetchError):
    pass


class TooLarge(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str] = field(default_factory=list)  # the URLs that redirected, in order

    @property
    def text(self) -> str:
        return self.content.decode(_charset(self.headers.get("content-type", "")), "replace")


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'")
            try:
                return codecs.lookup(value).name
            except LookupError:
                break
    return "utf-8"


# --- settings -----------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    """A Django setting when Django is configured (or can be), else the default."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:  # pragma: no cover - Django is a dependency
        return default
    if not (settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE")):
        return default
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:
        return default


def parse_networks(networks: Iterable[str]) -> list[Network]:
    parsed = []
    for network in networks:
        try:
            parsed.append(ipaddress.ip_network(str(network).strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"invalid network in the allow list: {network!r} ({exc})") from exc
    return parsed


# --- the address guard --------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def blocked_reason(address: Address) -> str:
    """Why this address must not be reached from here, or "" when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            address = ipaddress.IPv6Address(str(address).split("%")[0])
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = blocked_reason(inner)
            if reason:
                return reason
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, label in checks:
        if getattr(address, attribute):
            return label
    if isinstance(address, ipaddress.IPv4Address) and address in CGNAT:
        return "a shared (carrier-grade NAT) address"
    if not address.is_global:
        return "not a public address"
    return ""


def check_address(address: Address, allowed: list[Network], host: str = "") -> None:
    """Raise BlockedAddress unless `address` is public or inside an allowed network."""
    bare = address
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        bare = ipaddress.IPv6Address(str(address).split("%")[0])
    if any(bare.version == net.version and bare in net for net in allowed):
        return
    reason = blocked_reason(bare)
    if reason:
        where = f"{host} resolves to {bare}" if host and host != str(bare) else str(bare)
        raise BlockedAddress(f"refused: {where}, {reason} (allow it with EARFUL_ALLOW_NETWORKS)")


def resolve(host: str, port: int, allowed: list[Network]) -> list[tuple[Any, ...]]:
    """getaddrinfo results for host, all checked; any blocked address refuses the host."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    if not infos:
        raise FetchError(f"cannot resolve {host}: no addresses")
    for info in infos:
        check_address(ipaddress.ip_address(info[4][0]), allowed, host)
    return infos


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose reads and writes never wait past the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _bound(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise error("the total time limit was reached")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._bound(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, timeout), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects in one step, to the very address that was checked."""

    def __init__(self, allowed: list[Network], deadline: float) -> None:
        self._allowed = allowed
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        infos = resolve(host, port, self._allowed)
        error: Exception | None = None
        for info in infos:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise httpcore.ConnectTimeout("the total time limit was reached")
            try:
                # An IP literal: create_connection does no further name lookup.
                stream = self._backend.connect_tcp(
                    info[4][0],
                    port,
                    timeout=remaining if timeout is None else min(timeout, remaining),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert error is not None
        raise error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise BlockedAddress("refused: unix sockets are not reachable through earful.web")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


# --- httpx <-> httpcore bridge ------------------------------------------------------------

_CORE_ERRORS: tuple[tuple[type[Exception], type[httpx.RequestError]], ...] = (
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextlib.contextmanager
def _mapped_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except tuple(core for core, _ in _CORE_ERRORS) as exc:
        for core, mapped in _CORE_ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc) or type(exc).__name__, request=request) from exc
        raise  # pragma: no cover


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _mapped_errors(self._request):
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every fetch: building one loads the CA bundle, ~70 ms
    on the development box. SSLContext is safe to share between threads."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.BaseTransport):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=backend,
            max_connections=4,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _mapped_errors(request):
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream, request),  # type: ignore[arg-type]
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- fetch --------------------------------------------------------------------------------


def _check_scheme(url: httpx.URL, original: str) -> None:
    if url.scheme not in ("http", "https"):
        raise FetchError(f"refused: {original!r} is not an http(s) URL")
    if not url.host:
        raise FetchError(f"refused: {original!r} has no host")


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from exc
    _check_scheme(parsed, url)
    return parsed


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    announced = response.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise TooLarge(f"{url}: the response announces {announced} bytes, over {max_bytes}")
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"{url}: the response is larger than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchTimeout(f"{url}: the total time limit was reached")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: Any = None,
    json: Any = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    max_redirects: int = 5,
    allow_networks: list[str] | None = None,
) -> Response:
    """Fetch `url` under Earful's outbound rules; raise FetchError (or a subclass) if not.

    Returns any HTTP status, 4xx and 5xx included: what an error status means is up to the
    caller. Only the transport and the rules raise.
    """
    if max_bytes is None:
        max_bytes = int(_setting("EARFUL_HTTP_MAX_BYTES", DEFAULT_MAX_BYTES))
    if timeout is None:
        timeout = float(_setting("EARFUL_HTTP_TIMEOUT", DEFAULT_TIMEOUT))
    if allow_networks is None:
        allow_networks = list(_setting("EARFUL_ALLOW_NETWORKS", []) or [])
    allowed = parse_networks(allow_networks)
    deadline = time.monotonic() + timeout

    current = _parse_url(url)
    method = method.upper()
    request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    request_headers.update(headers or {})
    redirects: list[str] = []

    transport = GuardedTransport(GuardedBackend(allowed, deadline))
    with httpx.Client(
        transport=transport, trust_env=False, follow_redirects=False, timeout=timeout
    ) as client:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchTimeout(f"{current}: the total time limit of {timeout}s was reached")
            try:
                request = client.build_request(
                    method,
                    current,
                    headers=request_headers,
                    # Raw bytes go out as they are (a signed webhook body must not change).
                    content=data if isinstance(data, bytes | str) else None,
                    data=None if isinstance(data, bytes | str) else data,
                    json=json,
                    timeout=remaining,
                )
                response = client.send(request, stream=True)
            except FetchError as exc:  # raised by the guard, inside the connection pool
                raise type(exc)(f"{current}: {exc}") from exc
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"{current}: timed out ({exc})") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {exc or type(exc).__name__}") from exc
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    if len(redirects) >= max_redirects:
                        loop = " (a redirect loop)" if str(current) in redirects else ""
                        raise TooManyRedirects(f"{url}: more than {max_redirects} redirects{loop}")
                    try:
                        target = current.join(location)
                    except httpx.InvalidURL as exc:
                        raise FetchError(f"{current}: invalid redirect {location!r}") from exc
                    _check_scheme(target, str(target))
                    redirects.append(str(current))
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and method == "POST"
                    ):
                        method = "GET" if method != "HEAD" else method
                        data = json = None
                    if not _same_origin(current, target):
                        request_headers = {
                            k: v
                            for k, v in request_headers.items()
                            if k.lower() not in CREDENTIAL_HEADERS
                        }
                    current = target
                    continue
                try:
                    content = _read_body(response, str(current), max_bytes, deadline)
                except httpx.TimeoutException as exc:
                    raise FetchTimeout(f"{current}: timed out reading ({exc})") from exc
                except httpx.HTTPError as exc:
                    raise FetchError(f"{current}: {exc or type(exc).__name__}") from exc
                return Response(
                    url=str(current),
                    status=response.status_code,
                    headers=response.headers,
                    content=content,
                    redirects=redirects,
                )
            finally:
                response.close()
