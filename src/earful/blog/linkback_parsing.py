"""Read a fetched linkback source: does it link to our post, and who says what about it.

Pure functions over text, no Django models and no network: the caller fetches (through
earful.web) and decides what to do with the answer.

- A page links here when an <a href>, <area href>, <link href>, <img src>, <audio>/<video>/
  <source src> or <iframe src> points at one of the target URLs, after resolving relative
  URLs against the page's <base href> or its final URL (after redirects). URLs compare with
  the scheme and host lowercased, default ports and the fragment dropped.
- Microformats2 (mf2py): the h-entry that links here (else the first one) gives the author
  (name, url, photo; else the page's first h-card), the text (content, else summary), the
  publication date and the kind: reply (in-reply-to), like (like-of), repost (repost-of),
  bookmark (bookmark-of) when that property points at the target, else mention.
- Without microformats the title is the page's <title> and the excerpt the text around the
  first link here.
- A plain text or JSON source links here when it contains the target URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import mf2py
from bs4 import BeautifulSoup, Tag
from django.utils.dateparse import parse_date, parse_datetime

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Elements and the attribute that carries their URL.
LINKING = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "iframe": "src",
}
KIND_PROPERTIES = (
    ("in-reply-to", "reply"),
    ("like-of", "like"),
    ("repost-of", "repost"),
    ("bookmark-of", "bookmark"),
)
MAX_TITLE = 300
MAX_EXCERPT = 500
AROUND_LINK = 280  # characters of context kept around a link when there is no h-entry
MAX_NAME = 200
MAX_URL = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACES = re.compile(r"\s+")
_MICROFORMATS = re.compile(r"""class\s*=\s*["']?[^"'>]*\bh-[a-z]""", re.IGNORECASE)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)])")


@dataclass
class SourceReading:
    links_here: bool
    kind: str = "mention"
    title: str = ""
    excerpt: str = ""
    author_name: str = ""
    author_url: str = ""
    author_photo: str = ""
    published_at: datetime | None = None


def normalise_url(url: str) -> str:
    """The form two URLs are compared in: lowercase scheme and host, no default port, no
    fragment, "/" for an empty path. Unparseable input comes back stripped."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _clean(text: str, limit: int) -> str:
    text = _SPACES.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _web_url(url: str) -> str:
    url = (url or "").strip()
    return url if is_web_url(url) and len(url) <= MAX_URL else ""


def is_html(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in HTML_TYPES or not content_type.strip()


def read_source(content: str, content_type: str, page_url: str, targets: Iterable[str]):
    """What the source says about the targets, by its content type."""
    if is_html(content_type):
        return read_html(content, page_url, targets)
    return read_text(content, targets)


def read_text(text: str, targets: Iterable[str]) -> SourceReading:
    """A plain text or JSON source links here when it contains a target URL."""
    wanted = {t.strip() for t in targets} | {normalise_url(t) for t in targets}
    for target in sorted(wanted, key=len, reverse=True):
        at = text.find(target)
        if target and at >= 0:
            start = max(0, at - AROUND_LINK // 2)
            return SourceReading(
                links_here=True, excerpt=_clean(text[start : at + AROUND_LINK // 2], MAX_EXCERPT)
            )
    return SourceReading(links_here=False)


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        href = str(base.get("href") or "").strip()
        if href:
            joined = urljoin(page_url, href)
            if is_web_url(joined):
                return joined
    return page_url


def _links_to(soup: BeautifulSoup, base: str, wanted: set[str]) -> Tag | None:
    """The first element whose URL is one of `wanted` (normalised), or None."""
    for element in soup.find_all(list(LINKING)):
        value = element.get(LINKING[element.name])
        if not value:
            continue
        try:
            resolved = urljoin(base, str(value).strip())
        except ValueError:
            continue
        if normalise_url(resolved) in wanted:
            return element
    return None


def _text_around(element: Tag) -> str:
    """The words of the block that holds the link, centred on the link's own words."""
    block = element
    for parent in element.parents:
        if parent.name in ("p", "li", "blockquote", "div", "article", "section", "td", "body"):
            block = parent
            break
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _clean(block.get_text(" "), 100_000))
    own = _clean(element.get_text(" "), 1000)
    at = text.find(own) if own else -1
    if len(text) <= AROUND_LINK or at < 0:
        return _clean(text, AROUND_LINK)
    start = max(0, at - (AROUND_LINK - len(own)) // 2)
    snippet = text[start : start + AROUND_LINK].strip()
    return ("…" if start > 0 else "") + snippet + ("…" if start + AROUND_LINK < len(text) else "")


def _first(properties: dict, name: str):
    values = properties.get(name) or []
    return values[0] if values else None


def _as_text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("value") or value.get("html") or "")
    return str(value or "")


def _as_url(value) -> str:
    if isinstance(value, dict):
        if "properties" in value:  # an embedded h-cite / h-card
            return _as_url(_first(value["properties"], "url") or value.get("value"))
        return str(value.get("value") or "")
    return str(value or "")


def _entries(items: list[dict]) -> list[dict]:
    """Every h-entry, at the top level or inside an h-feed, in document order."""
    found = []
    for item in items:
        if "h-entry" in item.get("type", []):
            found.append(item)
        found.extend(_entries(item.get("children", [])))
    return found


def _cards(items: list[dict]) -> list[dict]:
    return [item for item in items if "h-card" in item.get("type", [])]


def _points_here(values, wanted: set[str]) -> bool:
    return any(normalise_url(_as_url(value)) in wanted for value in values or [])


def _entry_links_here(entry: dict, wanted: set[str]) -> bool:
    properties = entry.get("properties", {})
    if any(_points_here(properties.get(name), wanted) for name, _ in KIND_PROPERTIES):
        return True
    for content in properties.get("content", []):
        if isinstance(content, dict) and content.get("html"):
            soup = BeautifulSoup(content["html"], "html.parser")
            if _links_to(soup, "", wanted) is not None:
                return True
    return False


def _published(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "T", 1))
        if moment is None:
            day = parse_date(value[:10])
            moment = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _author(entry: dict, cards: list[dict]) -> tuple[str, str, str]:
    author = _first(entry.get("properties", {}), "author")
    if author is None and cards:
        author = cards[0]
    if author is None:
        return "", "", ""
    if isinstance(author, dict) and "properties" in author:
        properties = author["properties"]
        name = _as_text(_first(properties, "name")) or _as_text(author.get("value"))
        url = _as_url(_first(properties, "url"))
        photo = _as_url(_first(properties, "photo"))
        return _clean(name, MAX_NAME), _web_url(url), _web_url(photo)
    text = _as_text(author)
    if is_web_url(text):
        return "", _web_url(text), ""
    return _clean(text, MAX_NAME), "", ""


def _kind(properties: dict, wanted: set[str]) -> str:
    for name, kind in KIND_PROPERTIES:
        if _points_here(properties.get(name), wanted):
            return kind
    return "mention"


def read_html(html: str, page_url: str, targets: Iterable[str]) -> SourceReading:
    """Read an HTML source: whether it links to a target, and its h-entry if it has one."""
    wanted = {normalise_url(t) for t in targets if t}
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    base = _base_url(soup, page_url)
    link = _links_to(soup, base, wanted)
    around = _text_around(link) if link is not None else ""
    page_title = soup.title.get_text(" ") if soup.title else ""
    parsed = (  # mf2py costs most of the reading: only for pages that use microformats
        mf2py.parse(doc=soup, url=base, html_parser="html.parser")
        if _MICROFORMATS.search(html)
        else {}
    )
    entries = _entries(parsed.get("items", []))
    entry = next((e for e in entries if _entry_links_here(e, wanted)), None)
    if link is None and entry is None:
        return SourceReading(links_here=False)

    reading = SourceReading(links_here=True, title=_clean(page_title, MAX_TITLE), excerpt=around)
    entry = entry or (entries[0] if entries else None)
    if entry is None:
        return reading

    properties = entry.get("properties", {})
    reading.kind = _kind(properties, wanted)
    text = _as_text(_first(properties, "content")) or _as_text(_first(properties, "summary"))
    if text:
        reading.excerpt = _clean(text, MAX_EXCERPT)
    name = _clean(_as_text(_first(properties, "name")), MAX_TITLE)
    # A note's implied name is its whole text: then the page title says more.
    if name and not _clean(text, 100_000).startswith(name.rstrip("…")):
        reading.title = name
    reading.author_name, reading.author_url, reading.author_photo = _author(
        entry, _cards(parsed.get("items", []))
    )
    reading.published_at = _published(_as_text(_first(properties, "published")))
    return reading
