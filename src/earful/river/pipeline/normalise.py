"""normalise: HTML to text, tidy whitespace, canonical URLs, content hash and identity key.

Everything here is linear in the size of the input, whatever the input: the markup reader
is a hand-rolled tokenizer rather than `html.parser`, which is quadratic on unclosed tags
(5 MB of `<a ` would take hours) and ten times slower on ordinary comments.
"""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .base import Context
from .items import Item, mention_key

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
# Elements whose content is not text anyone wrote to be read.
_RAW_TEXT_TAGS = frozenset({"script", "style"})  # content is not markup: skip to the end tag
_SKIP_TAGS = frozenset({"template", "noscript", "head"})  # content is markup: skip, nested
_RAW_TEXT_ENDS = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _RAW_TEXT_TAGS}
# A tag never contains '<', not even in a quoted attribute here: that keeps a failed match
# (an unclosed tag) from scanning further than the next '<', so hostile markup stays linear.
_MARKUP = re.compile(
    r"""<!--.*?(?:-->|\Z)
      | <(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]*+)
        (?:[\s/](?:[^<>"']++|"[^"<]*+"|'[^'<]*+')*+)?>
      | <[!?][^<>]*+>""",
    re.DOTALL | re.VERBOSE,
)
_BREAK = "\x00"  # stands for a block boundary while markup is read; input NULs are gone by then

_TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid mc_cid mc_eid igshid si ref ref_src "
    "ref_url _hsenc _hsmi mkt_tok spm share_source cmpid s_cid".split()
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "ga_", "at_")
_HOST = re.compile(r"[\w.-]+|[0-9a-f:.]+")  # a name (letters in any script) or an IPv6 address
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# Already canonical: http(s), lower-case host, no port, user, query or fragment, a path of
# characters that need no quoting. Most post URLs are like this and skip urllib.
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?P<path>/[A-Za-z0-9/%:@!$&'()*+,;=._~-]*)?"
)

# Control characters (but tab, newline, carriage return, form feed, vertical tab) and lone
# surrogates, which no database or encoder accepts.
_UNSAFE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")
_UNDETERMINED_TAGS = frozenset({"und", "mul", "mis", "zxx"})


def _replace_unsafe(match: re.Match[str]) -> str:
    return "" if match.group() < "\ud800" else "\ufffd"


def scrub(text: str) -> str:
    """Drop control characters; lone surrogates become U+FFFD."""
    if text.isprintable() or _UNSAFE.search(text) is None:  # isprintable: fast, often true
        return text
    return _UNSAFE.sub(_replace_unsafe, text)


def html_to_text(markup: str) -> str:
    """The text a reader sees: tags gone, entities decoded, blocks on lines of their own."""
    markup = scrub(markup)
    try:  # usually nothing is hidden: one pass, each tag to a break or nothing
        text = _MARKUP.sub(_markup_replacement, markup)
        if "&" in text:
            text = html.unescape(text)
    except _HiddenContent:
        text = _visible_text(markup)
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    # In markup every run of white space is one space; only block boundaries break lines.
    text = " ".join(text.split())
    if _BREAK not in text:
        return text
    return "\n".join(filter(None, map(str.strip, text.split(_BREAK))))


class _HiddenContent(Exception):
    """The markup has a script, style ... whose content must be skipped."""


def _markup_replacement(match: re.Match[str]) -> str:
    name = match.group("name")
    if name is None:
        return ""
    name = name.lower()
    if name in _BLOCK_TAGS:
        return _BREAK
    if not match.group("close") and (name in _RAW_TEXT_TAGS or name in _SKIP_TAGS):
        raise _HiddenContent
    return ""


def _visible_text(markup: str) -> str:
    """Text outside tags, without the content of scripts, styles, templates ..."""
    parts: list[str] = []
    append = parts.append
    search = _MARKUP.search
    skipping = 0
    pos = 0
    end = len(markup)
    while pos < end:
        match = search(markup, pos)
        if match is None:
            if not skipping:
                append(markup[pos:])
            break
        if not skipping and match.start() > pos:
            append(markup[pos : match.start()])
        pos = match.end()
        name = match.group("name")
        if name is None:  # comment, doctype, processing instruction
            continue
        name = name.lower()
        closing = bool(match.group("close"))
        if name in _RAW_TEXT_TAGS:
            if not closing:
                raw_end = _RAW_TEXT_ENDS[name].search(markup, pos)
                pos = raw_end.end() if raw_end else end
        elif name in _SKIP_TAGS:
            skipping = max(0, skipping - 1) if closing else skipping + 1
        elif name in _BLOCK_TAGS and not skipping:
            append(_BREAK)
    return "".join(html.unescape(part) if "&" in part else part for part in parts)


def _one_space_between_words(line: str) -> str:
    return " ".join(line.split())


def tidy_text(text: str) -> str:
    """One space between words, one newline between lines, nothing unsafe.

    Afterwards the only white space left is " " and "\n", never at either end of a line.
    """
    text = scrub(text)
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return "\n".join(filter(None, map(_one_space_between_words, text.splitlines())))


def text_of(value: str, is_html: bool) -> str:
    """Tidy text from what a source sent: markup is read only where there may be some."""
    if is_html or ("<" in value and ">" in value):
        return html_to_text(value)
    if "&" in value:
        value = html.unescape(value)
    return tidy_text(value)


def canonical_url(url: str) -> str:
    """The URL people mean: lower-case host, no default port, fragment or tracking tags.

    Returns "" for anything that is not an absolute http(s) URL with a host.
    """
    url = scrub(url).strip()
    if not url:
        return ""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        return url if plain.group("path") else f"{url}/"
    try:
        parts = urlsplit(url)
        port = parts.port
        hostname = parts.hostname
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not hostname:
        return ""
    host = hostname.rstrip(".")
    if _HOST.fullmatch(host) is None:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port and not (scheme == "http" and port == 80 or scheme == "https" and port == 443):
        host = f"{host}:{port}"
    query = ""
    if parts.query:
        pairs = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
        ]
        pairs.sort()
        query = urlencode(pairs)
    path = quote(parts.path, safe=_PATH_SAFE, errors="replace") if parts.path else "/"
    return urlunsplit((scheme, host, path, query, ""))


def content_hash(text: str) -> str:
    """Identity of the words, whatever their case or spacing."""
    folded = " ".join(text.casefold().split())
    return hashlib.blake2b(folded.encode("utf-8", "replace"), digest_size=16).hexdigest()


def _content_hash_of_tidy(title: str, text: str) -> str:
    """content_hash(f"{title}\n{text}") for tidy title and text, skipping the re-tidying."""
    joined = f"{title} {text}" if title and text else title or text
    folded = joined.casefold().replace("\n", " ")
    return hashlib.blake2b(folded.encode("utf-8", "replace"), digest_size=16).hexdigest()


def language_tag(declared: str) -> str:
    """The primary subtag of a declared BCP 47-ish language ("en-GB" -> "en"), else "".

    A source's own declaration is trusted when it looks like a language tag: it is usually
    set by the author or their client and beats guessing from a few words. Anything else
    ("English", "und", "x") counts as undeclared and the language stage detects it.
    """
    match = _LANGUAGE_TAG.fullmatch(declared.strip().lower())
    if match is None or match.group(1) in _UNDETERMINED_TAGS:
        return ""
    return match.group(1)


def _scrub_raw_fields(item: Item) -> None:
    raw = item.raw
    fields = (
        f"{raw.external_id}{raw.url}{raw.parent_id}{raw.author}{raw.author_name}{raw.author_url}"
    )
    if not fields.isprintable() and _UNSAFE.search(fields):
        raw.external_id = scrub(raw.external_id)
        raw.url = scrub(raw.url)
        raw.parent_id = scrub(raw.parent_id)
        raw.author = scrub(raw.author)
        raw.author_name = scrub(raw.author_name)
        raw.author_url = scrub(raw.author_url)


def site_of(url: str) -> str:
    """The host a URL points at, lower case and without "www.": what "top sites" counts."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")[:255]


def normalise(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        raw = item.raw
        _scrub_raw_fields(item)
        item.text = text_of(raw.text or "", raw.is_html)
        item.title = text_of(raw.title, raw.is_html) if raw.title else ""
        if not item.text and not item.title:
            item.dropped = "empty"
            item.error = "the text is empty"
            continue
        item.canonical_url = canonical_url(raw.url) if raw.url else ""
        item.site = site_of(item.canonical_url or raw.url)
        item.content_hash = _content_hash_of_tidy(item.title, item.text)
        item.key = mention_key(
            item.source_id, raw.external_id.strip(), item.canonical_url, item.content_hash
        )
        if raw.parent_id.strip():
            item.parent_key = mention_key(item.source_id, raw.parent_id.strip(), "", "")
        item.language = language_tag(raw.language) if raw.language else ""
    return batch
