"""Rich embeds for links to photo and video pages (see markdown.render_post).

A paragraph of a post that is only a link to a known page becomes a rich embed:

- YouTube (watch?v=, youtu.be/, /shorts/, /embed/, /live/): a youtube-nocookie.com iframe;
- Vimeo (a numeric video id): a player.vimeo.com iframe with Do Not Track on;
- Mastodon (a status URL https://<host>/@user/<digits>, any host): the instance's /embed
  iframe;
- Flickr photos: an <img> built from Flickr's oEmbed answer.

Everything else stays a plain link (`embed_html` returns None). The HTML made here is
inserted after nh3 has cleaned the post, so it is built only from parts that were checked
against strict patterns, and every attribute value is escaped all the same.

The Flickr lookup. Post HTML is rendered once, when the post is saved (save_post stores
body_html); a reader's request never renders Markdown, so no reader ever waits on Flickr.
The save does wait, so the lookup is bounded: one fetch through earful.web (SSRF guard,
byte cap) with a total deadline of OEMBED_TIMEOUT (3 s), its answer kept in Django's cache
(a hit costs no fetch at all). A failed lookup renders a plain link, is remembered for
OEMBED_RETRY_AFTER so that saving again does not wait again, and marks Flickr as down for
the same time, so a post with twenty Flickr links waits for at most one timeout, not twenty.
Saving the post again after that time retries. Rendering never raises because of Flickr.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from earful.web.http import FetchError, fetch

log = logging.getLogger(__name__)

# Flickr's oEmbed endpoint; tests point it at a local server.
FLICKR_OEMBED_ENDPOINT = "https://www.flickr.com/services/oembed/"
OEMBED_TIMEOUT = 3.0  # seconds, the whole lookup (connect, redirects, body)
OEMBED_MAX_BYTES = 64 * 1024  # an oEmbed answer is a few hundred bytes
OEMBED_CACHE_MIN = 60 * 60  # keep a good answer at least an hour ...
OEMBED_CACHE_MAX = 30 * 24 * 60 * 60  # ... and at most 30 days, whatever cache_age says
OEMBED_CACHE_DEFAULT = 7 * 24 * 60 * 60
OEMBED_RETRY_AFTER = 5 * 60  # after a failure: plain links, no new lookup, for 5 minutes
_CACHE_PREFIX = "earful:blog:oembed:"
_FLICKR_DOWN_KEY = _CACHE_PREFIX + "flickr-down"
_FAILED = "failed"

# A DNS host name as the address bar shows it: lower-case ASCII labels (punycode for
# international names), a letters-only top-level label (so no IP literal), no port.
_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"(?:{_HOST_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]")  # 11 chars, 64-bit id
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YOUTUBE_NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
_YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live|v)/([^/]+)/?")
_YOUTUBE_TIME = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_VIMEO_PATH = re.compile(
    r"/(?:channels/[A-Za-z0-9_-]{1,100}/|groups/[A-Za-z0-9_-]{1,100}/videos/)?"
    r"(\d{1,12})(?:/([0-9a-f]{6,20}))?/?"
)
_VIMEO_PLAYER_PATH = re.compile(r"/video/(\d{1,12})/?")
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
_MASTODON_PATH = re.compile(r"/@([A-Za-z0-9_]{1,30})/(\d{1,20})/?")
_FLICKR_HOSTS = {"flickr.com", "www.flickr.com", "m.flickr.com", "secure.flickr.com"}
_FLICKR_PHOTO_PATH = re.compile(r"/photos/([A-Za-z0-9_@-]{1,100})/(\d{1,20})(?:/[^?#]*)?")
_FLICKR_SHORT_PATH = re.compile(r"/p/([1-9A-HJ-NP-Za-km-z]{1,20})/?")  # base58
_FLICKR_IMAGE_HOST = re.compile(r"(?:[a-z0-9-]{1,63}\.)?staticflickr\.com")

# Embedded players run their own scripts in their own origin; they may open a new tab
# (the "watch on YouTube" link) but never navigate this page, submit forms or download.
_PLAYER_SANDBOX = (
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
)
_MASTODON_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"


def embed_html(url: str) -> str | None:
    """Trusted HTML that embeds the page at `url`, or None to keep it a plain link."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if port is not None and port not in (80, 443):
        return None
    for embed in (_youtube, _vimeo, _flickr, _mastodon):
        html = embed(url, host, parts)
        if html:
            return html
    return None


# --- YouTube --------------------------------------------------------------------------------


def youtube_video(url: str) -> tuple[str, int] | None:
    """(video id, start second) of a YouTube video URL, or None when it is not one."""
    parts = urlsplit(url)
    return _youtube_video((parts.hostname or "").rstrip("."), parts)


def _youtube_video(host, parts) -> tuple[str, int] | None:
    query = parse_qs(parts.query)
    video = ""
    if host in _YOUTUBE_HOSTS and parts.path in ("/watch", "/watch/"):
        video = (query.get("v") or [""])[0]
    elif host == "youtu.be":
        video = parts.path.strip("/")
    elif host in _YOUTUBE_HOSTS | _YOUTUBE_NOCOOKIE_HOSTS:
        match = _YOUTUBE_PATH.fullmatch(parts.path)
        video = match.group(1) if match else ""
        if host in _YOUTUBE_NOCOOKIE_HOSTS and not parts.path.startswith("/embed/"):
            video = ""
    if not _YOUTUBE_ID.fullmatch(video):
        return None
    start = (query.get("t") or query.get("start") or [""])[0]
    return video, _seconds(start)


def _seconds(value: str) -> int:
    """YouTube's t= / start= value: 90, 90s or 1h2m3s; 0 when absent or malformed."""
    match = _YOUTUBE_TIME.fullmatch(value) if value else None
    if not match:
        return 0
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(url: str, host: str, parts) -> str | None:
    found = _youtube_video(host, parts)
    if found is None:
        return None
    video, start = found
    src = f"https://www.youtube-nocookie.com/embed/{video}"
    if start:
        src += f"?start={start}"
    return _player(
        "youtube",
        src,
        url,
        "YouTube video",
        "Watch on YouTube",
        # YouTube refuses to play when the embedding page sends no Referer; the origin is
        # all it gets (the default policy would send it too, this makes it explicit).
        referrerpolicy="strict-origin-when-cross-origin",
    )


# --- Vimeo ----------------------------------------------------------------------------------


def _vimeo(url: str, host: str, parts) -> str | None:
    video = secret = ""
    if host in _VIMEO_HOSTS:
        match = _VIMEO_PATH.fullmatch(parts.path)
        if match:
            video, secret = match.group(1), match.group(2) or ""
    elif host == "player.vimeo.com":
        match = _VIMEO_PLAYER_PATH.fullmatch(parts.path)
        if match:
            video = match.group(1)
            secret = (parse_qs(parts.query).get("h") or [""])[0]
            if secret and not _VIMEO_HASH.fullmatch(secret):
                return None
    if not video:
        return None
    params = {"dnt": "1"}
    if secret:
        params["h"] = secret  # the private hash of an unlisted video
    src = f"https://player.vimeo.com/video/{video}?{urlencode(params)}"
    return _player("vimeo", src, url, "Vimeo video", "Watch on Vimeo")


def _player(provider: str, src: str, url: str, title: str, link_text: str, **extra) -> str:
    extra_attributes = mark_safe(
        "".join(format_html(' {}="{}"', name, value) for name, value in extra.items())
    )
    return format_html(
        '<figure class="embed embed-video embed-{}">'
        '<iframe src="{}" title="{}" width="560" height="315" loading="lazy" '
        'sandbox="{}" allow="encrypted-media; fullscreen; picture-in-picture" '
        "allowfullscreen{}></iframe>"
        '<figcaption><a href="{}" rel="noopener">{}</a></figcaption></figure>',
        provider,
        src,
        title,
        _PLAYER_SANDBOX,
        extra_attributes,
        url,
        link_text,
    )


# --- Mastodon -------------------------------------------------------------------------------


def is_host_name(host: str) -> bool:
    """True for a plain DNS name (no IP literal, port, user, Unicode or stray characters)."""
    return len(host) <= 253 and bool(_HOST.fullmatch(host))


def _mastodon(url: str, host: str, parts) -> str | None:
    if parts.scheme != "https" or parts.port is not None:
        return None
    match = _MASTODON_PATH.fullmatch(parts.path)
    # parts.hostname is lower-cased; the raw netloc must be the same name, nothing more.
    if not match or parts.netloc.lower() != host or not is_host_name(host):
        return None
    user, status = match.groups()
    status_url = f"https://{host}/@{user}/{status}"
    return format_html(
        '<figure class="embed embed-mastodon">'
        '<iframe src="{}/embed" title="{}" width="400" height="400" loading="lazy" '
        'sandbox="{}" allow="fullscreen" allowfullscreen referrerpolicy="no-referrer" '
        'class="mastodon-embed"></iframe>'
        '<figcaption><a href="{}" rel="noopener">@{}@{}</a></figcaption></figure>',
        status_url,
        f"Post by @{user}@{host}",
        _MASTODON_SANDBOX,
        status_url,
        user,
        host,
    )


# --- Flickr ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlickrPhoto:
    """What the embed shows of a Flickr oEmbed answer, checked."""

    image_url: str
    title: str
    author_name: str
    width: int | None
    height: int | None


def is_flickr_photo_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    return _is_flickr_photo(host, parts)


def _is_flickr_photo(host: str, parts) -> bool:
    if host in _FLICKR_HOSTS:
        return bool(_FLICKR_PHOTO_PATH.fullmatch(parts.path))
    if host == "flic.kr":
        return bool(_FLICKR_SHORT_PATH.fullmatch(parts.path))
    return False


def _flickr(url: str, host: str, parts) -> str | None:
    if not _is_flickr_photo(host, parts):
        return None
    photo = flickr_photo(url)
    if photo is None:
        return None
    caption = photo.title or "A photo"
    if photo.author_name:
        caption = f"{caption} by {photo.author_name}"
    size = ""
    if photo.width and photo.height:
        size = format_html(' width="{}" height="{}"', photo.width, photo.height)
    return format_html(
        '<figure class="embed embed-photo embed-flickr"><a href="{}" rel="noopener">'
        '<img src="{}" alt="{}" loading="lazy" decoding="async"{}></a>'
        "<figcaption>{}</figcaption></figure>",
        url,
        photo.image_url,
        photo.title or caption,
        size,
        caption,
    )


def _cache_key(url: str) -> str:
    return _CACHE_PREFIX + "flickr:" + hashlib.sha256(url.encode()).hexdigest()


def flickr_photo(url: str) -> FlickrPhoto | None:
    """The photo behind a Flickr photo page: from the cache, else one bounded oEmbed lookup.

    None when the lookup fails (and then for OEMBED_RETRY_AFTER without trying again).
    """
    key = _cache_key(url)
    cached = cache.get(key)
    if cached == _FAILED:
        return None
    if isinstance(cached, dict):
        return FlickrPhoto(**cached)
    if cache.get(_FLICKR_DOWN_KEY):
        return None
    try:
        photo, max_age = _lookup_flickr(url)
    except (FetchError, OEmbedError) as exc:
        log.warning("Flickr oEmbed lookup for %s failed: %s", url, exc)
        cache.set(key, _FAILED, OEMBED_RETRY_AFTER)
        if isinstance(exc, FetchError) or exc.provider_down:
            cache.set(_FLICKR_DOWN_KEY, True, OEMBED_RETRY_AFTER)
        return None
    cache.set(key, photo.__dict__, max_age)
    return photo


class OEmbedError(ValueError):
    """The oEmbed answer is unusable; the message says why."""

    def __init__(self, message: str, provider_down: bool = False) -> None:
        super().__init__(message)
        self.provider_down = provider_down


def _lookup_flickr(url: str) -> tuple[FlickrPhoto, int]:
    endpoint = f"{FLICKR_OEMBED_ENDPOINT}?{urlencode({'url': url, 'format': 'json'})}"
    response = fetch(
        endpoint,
        headers={"Accept": "application/json"},
        timeout=OEMBED_TIMEOUT,
        max_bytes=OEMBED_MAX_BYTES,
        max_redirects=2,
    )
    if response.status != 200:
        raise OEmbedError(f"the oEmbed endpoint answered {response.status}", response.status >= 500)
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OEmbedError(f"the oEmbed answer is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise OEmbedError("the oEmbed answer is not a JSON object")
    return _flickr_photo_from(data), _max_age(data.get("cache_age"))


def _flickr_photo_from(data: dict) -> FlickrPhoto:
    if data.get("type") != "photo":
        raise OEmbedError(f"the oEmbed answer is of type {data.get('type')!r}, not a photo")
    image_url = data.get("url")
    if not isinstance(image_url, str) or not _is_flickr_image(image_url):
        raise OEmbedError(f"the photo URL {image_url!r} is not an https Flickr image")
    return FlickrPhoto(
        image_url=image_url,
        title=_text(data.get("title"), 300),
        author_name=_text(data.get("author_name"), 200),
        width=_dimension(data.get("width")),
        height=_dimension(data.get("height")),
    )


def _is_flickr_image(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and port is None
        and not parts.username
        and parts.netloc.lower() == (parts.hostname or "")
        and bool(_FLICKR_IMAGE_HOST.fullmatch(parts.hostname or ""))
        and all(c.isprintable() and not c.isspace() for c in url)
    )


def _text(value, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _dimension(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 < value <= 20000 else None


def _max_age(value) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return OEMBED_CACHE_DEFAULT
    return max(OEMBED_CACHE_MIN, min(OEMBED_CACHE_MAX, value))
