"""normalise: HTML to text, tidy whitespace, canonical URLs, content hash and identity key."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .base import Context
from .items import Item, mention_key

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head"})
_TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid mc_cid mc_eid igshid si ref ref_src "
    "ref_url _hsenc _hsmi mkt_tok spm share_source cmpid s_cid".split()
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "ga_", "at_")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_HASH_SPACES = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return "".join(extractor.parts)


def tidy_text(text: str) -> str:
    text = text.replace("\x00", "")
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def canonical_url(url: str) -> str:
    """The URL people mean: lower-case host, no default port, fragment or tracking tags."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port and not (scheme == "http" and port == 80 or scheme == "https" and port == 443):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    query.sort()
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def content_hash(text: str) -> str:
    folded = _HASH_SPACES.sub(" ", text.casefold()).strip()
    return hashlib.blake2b(folded.encode("utf-8", "replace"), digest_size=16).hexdigest()


def normalise(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        raw = item.raw
        text = raw.text or ""
        if raw.is_html or ("<" in text and ">" in text):
            text = html_to_text(text)
        elif "&" in text:
            text = html.unescape(text)
        item.text = tidy_text(text)
        title = raw.title or ""
        if "<" in title or "&" in title:
            title = html_to_text(title)
        item.title = tidy_text(title)
        if not item.text and not item.title:
            item.dropped = "empty"
            item.error = "the text is empty"
            continue
        item.canonical_url = canonical_url(raw.url)
        item.content_hash = content_hash(f"{item.title}\n{item.text}")
        item.key = mention_key(
            item.source_id, raw.external_id.strip(), item.canonical_url, item.content_hash
        )
        if raw.parent_id:
            item.parent_key = mention_key(item.source_id, raw.parent_id.strip(), "", "")
        item.language = (raw.language or "").strip().lower()[:12]
    return batch
