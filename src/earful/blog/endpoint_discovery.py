"""Where a page takes linkbacks: its Webmention and Pingback endpoints.

Webmention (W3C Recommendation, §3.1.2 "Sender discovers receiver Webmention endpoint"):
the first HTTP `Link` header with a rel value of `webmention` wins; failing that, when the
document is HTML, the first `<link>` or `<a>` element, in document order, whose rel holds
the token `webmention` and that has an `href` attribute. rel values are space-separated
tokens compared case-insensitively, so `rel="webmention somethingelse"` counts and
`rel="not-webmention"` does not. Elements inside HTML comments, in escaped text or in
script are not elements and are never seen. An empty href means the page itself. A relative
URL is resolved against the page's final URL, after redirects; the query string is kept
exactly as written.

Pingback 1.0: the `X-Pingback` header, else the first `<link rel="pingback" href>`.

These functions only read a response `earful.web.fetch` already returned: no fetching here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from earful.web.http import Response

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Endpoints:
    """The endpoints a page advertises; "" where it advertises none."""

    webmention: str = ""
    pingback: str = ""


@dataclass(frozen=True)
class HeaderLink:
    """One link of an HTTP Link header (RFC 8288): its URL as written and its rel tokens."""

    url: str
    rels: tuple[str, ...]


def parse_link_header(value: str) -> list[HeaderLink]:
    """The links in one Link header value: `<url>; rel="a b", <url2>; rel=c`.

    Commas and semicolons inside `<...>` or inside quoted strings do not split. A malformed
    part is skipped, not fatal: a page's bad header must not stop discovery.
    """
    links: list[HeaderLink] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("<", i)
        if start < 0:
            break
        end = value.find(">", start + 1)
        if end < 0:
            break
        url = value[start + 1 : end].strip()
        params, i = _link_params(value, end + 1)
        rels = tuple(token.lower() for token in params.get("rel", "").split())
        links.append(HeaderLink(url, rels))
    return links


def _link_params(value: str, i: int) -> tuple[dict[str, str], int]:
    """Read `; name=value; name="quoted, value"` up to the comma ending this link."""
    params: dict[str, str] = {}
    n = len(value)
    while i < n:
        while i < n and value[i] in " \t":
            i += 1
        if i >= n:
            break
        if value[i] == ",":
            return params, i + 1
        if value[i] != ";":
            i += 1  # stray character: skip it
            continue
        i += 1
        name_start = i
        while i < n and value[i] not in "=;,":
            i += 1
        name = value[name_start:i].strip().lower()
        param = ""
        if i < n and value[i] == "=":
            i += 1
            while i < n and value[i] in " \t":
                i += 1
            if i < n and value[i] == '"':
                i += 1
                chars = []
                while i < n and value[i] != '"':
                    if value[i] == "\\" and i + 1 < n:
                        i += 1
                    chars.append(value[i])
                    i += 1
                i += 1  # the closing quote
                param = "".join(chars)
            else:
                value_start = i
                while i < n and value[i] not in ";,":
                    i += 1
                param = value[value_start:i].strip()
        # RFC 8288: only the first occurrence of a parameter counts.
        if name and name not in params:
            params[name] = param
    return params, i


def _rel_tokens(rel: str | None) -> list[str]:
    return [token.lower() for token in (rel or "").split()]


class _EndpointFinder(HTMLParser):
    """Finds the first webmention <link>/<a> and the first pingback <link>, then stops."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.webmention: str | None = None
        self.pingback: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        found: dict[str, str | None] = {}
        for name, value in attrs:
            found.setdefault(name, value)  # a repeated attribute: the first counts, as in HTML
        if "href" not in found:
            return  # no href: not an endpoint (webmention.rocks test 20)
        href = (found["href"] or "").strip()
        rels = _rel_tokens(found.get("rel"))
        if self.webmention is None and "webmention" in rels:
            self.webmention = href
        if self.pingback is None and tag == "link" and "pingback" in rels and href:
            self.pingback = href

    handle_startendtag = handle_starttag

    @property
    def done(self) -> bool:
        return self.webmention is not None and self.pingback is not None


def _is_html(response: Response) -> bool:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return not content_type or content_type in HTML_TYPES


def _absolute(base: str, href: str) -> str:
    """href resolved against base (the page's final URL); "" unless it is http(s)."""
    url = urljoin(urldefrag(base)[0], href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return url


def _find_in_html(response: Response) -> tuple[str | None, str | None]:
    finder = _EndpointFinder()
    text = response.text
    # Feed in pieces so that a page with the endpoint near the top is not parsed to the end.
    step = 16_384
    for start in range(0, len(text), step):
        finder.feed(text[start : start + step])
        if finder.done:
            break
    else:
        finder.close()
    return finder.webmention, finder.pingback


def discover_endpoints(response: Response) -> Endpoints:
    """The Webmention and Pingback endpoints `response` (a fetched page) advertises."""
    base = response.url
    webmention = ""
    for header in response.headers.get_list("link"):
        for link in parse_link_header(header):
            if "webmention" in link.rels:
                webmention = _absolute(base, link.url)
                if webmention:
                    break
        if webmention:
            break
    pingback = ""
    x_pingback = response.headers.get("x-pingback", "").strip()
    if x_pingback:
        pingback = _absolute(base, x_pingback)
    if (not webmention or not pingback) and _is_html(response):
        html_webmention, html_pingback = _find_in_html(response)
        if not webmention and html_webmention is not None:
            webmention = _absolute(base, html_webmention)
        if not pingback and html_pingback:
            pingback = _absolute(base, html_pingback)
    return Endpoints(webmention=webmention, pingback=pingback)


def webmention_endpoint(response: Response) -> str:
    return discover_endpoints(response).webmention


def pingback_endpoint(response: Response) -> str:
    return discover_endpoints(response).pingback
