"""RSS and Atom feeds, fetched with conditional GET and parsed from bytes by feedparser.

XML entity attacks: feedparser already drops entity declarations it considers unsafe and
disables external entities, but it does so with line-based regular expressions. Rather than
rely on that, a feed whose XML declares entities is refused outright (`declares_entities`):
real feeds do not need them, and a "billion laughs" or an external-entity feed is hostile.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..pipeline.items import RawItem
from .base import BadItem, Connector, ConnectorError, FetchResult
from .config_checks import http_url, reject_unknown, require_mapping
from .fetching import get
from .item_fields import bounded_id

# Real feeds are rarely over a megabyte, and feedparser spends ~2 s of CPU per megabyte:
# a smaller cap than the general one keeps a hostile feed from holding a worker long.
FEED_MAX_BYTES = 4 * 1024 * 1024


def _max_feed_bytes() -> int:
    from django.conf import settings

    return min(FEED_MAX_BYTES, int(getattr(settings, "EARFUL_HTTP_MAX_BYTES", FEED_MAX_BYTES)))


ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_URL_LENGTH = 2000
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENCODING_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
_EBCDIC_XML_START = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC


def declares_entities(content: bytes) -> bool:
    """True when the document declares an XML entity, in any encoding feedparser reads."""
    if content.startswith(_EBCDIC_XML_START):
        content = content.decode("cp037", "replace").encode("ascii", "replace")
    # UTF-16 and UTF-32 put NUL bytes beside each ASCII character; without them the
    # markup reads like ASCII again.
    return bool(_ENTITY_DECLARATION.search(content.replace(b"\x00", b"")))


class FeedConnector(Connector):
    kind = "feed"

    def validate_config(self, config: dict) -> dict:
        require_mapping(config)
        reject_unknown(config, {"url"})
        return {"url": http_url(config.get("url"), "the feed URL")}

    def poll(self, config: dict, state: dict) -> FetchResult:
        url = config["url"]
        headers = {"Accept": ACCEPT}
        if isinstance(state.get("etag"), str) and state["etag"]:
            headers["If-None-Match"] = state["etag"]
        if isinstance(state.get("last_modified"), str) and state["last_modified"]:
            headers["If-Modified-Since"] = state["last_modified"]
        response = get(
            url, headers=headers, ok_statuses=(200, 203, 304), max_bytes=_max_feed_bytes()
        )
        if response.status == 304:
            return FetchResult(items=[], state=state, not_modified=True)
        if declares_entities(response.content):
            raise ConnectorError(
                f"{response.url}: refused, the feed declares XML entities "
                "(a known way to attack XML parsers)"
            )
        context = {
            "content-type": response.headers.get("content-type", "application/xml"),
            "content-location": response.url,
            "content-language": response.headers.get("content-language", ""),
        }
        parsed = feedparser.parse(io.BytesIO(response.content), response_headers=context)
        entries = parsed.get("entries") or []
        if not entries and parsed.get("bozo"):
            # A feed that lies about its encoding ("UTF-16", sent as UTF-8) reads as UTF-8.
            as_utf8 = _declared_utf8(response.content)
            if as_utf8 is not None:
                context["content-type"] = "application/xml; charset=utf-8"
                retried = feedparser.parse(io.BytesIO(as_utf8), response_headers=context)
                if retried.get("entries"):
                    parsed, entries = retried, retried["entries"]
        if not entries and (parsed.get("bozo") or not parsed.get("version")):
            problem = parsed.get("bozo_exception") or "no RSS or Atom elements found"
            raise ConnectorError(f"{response.url}: not a readable RSS/Atom feed ({problem})")

        feed_language = _text(parsed.get("feed", {}).get("language"))
        items: list[RawItem] = []
        skipped: list[str] = []
        for number, entry in enumerate(entries, start=1):
            try:
                items.append(entry_item(entry, feed_language))
            except BadItem as exc:
                skipped.append(f"entry {number}: {exc}")
        new_state = dict(state)
        for key, header in (("etag", "etag"), ("last_modified", "last-modified")):
            value = response.headers.get(header, "").strip()
            if value and len(value) <= 500:
                new_state[key] = value
            else:
                new_state.pop(key, None)
        return FetchResult(items=items, state=new_state, skipped=skipped)


def _declared_utf8(content: bytes) -> bytes | None:
    """The document with its XML declaration saying UTF-8, if its bytes are UTF-8; else None."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    replaced, count = _ENCODING_DECLARATION.subn(rb'\1"utf-8"', content, count=1)
    return replaced if count else None


def entry_item(entry: Any, feed_language: str = "") -> RawItem:
    title = _text(entry.get("title")).strip()
    body, content_type, language = _body(entry)
    if not body.strip() and not title:
        raise BadItem("no title and no text")
    link = _text(entry.get("link")).strip()
    if len(link) > MAX_URL_LENGTH:
        link = ""
    external_id = _text(entry.get("id")).strip() or link
    author_detail = entry.get("author_detail") or {}
    author_name = _text(author_detail.get("name")) or _text(entry.get("author"))
    author_url = _text(author_detail.get("href"))
    return RawItem(
        text=body if body.strip() else title,
        external_id=bounded_id(external_id) if external_id else "",
        url=link,
        author=(author_name or _text(author_detail.get("email"))).strip()[:300],
        author_name=author_name.strip()[:300],
        author_url=author_url if len(author_url) <= MAX_URL_LENGTH else "",
        title=title,
        published_at=_entry_date(entry),
        language=(language or feed_language)[:12],
        is_html=bool(body.strip()) and content_type in HTML_TYPES,
    )


def _body(entry: Any) -> tuple[str, str, str]:
    """The entry's fullest text: its content, else its summary; with type and language."""
    for block in entry.get("content") or []:
        value = _text(block.get("value"))
        if value.strip():
            return value, _text(block.get("type")), _text(block.get("language"))
    summary = _text(entry.get("summary"))
    detail = entry.get("summary_detail") or {}
    return summary, _text(detail.get("type")), _text(detail.get("language"))


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
