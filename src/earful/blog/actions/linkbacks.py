"""Received linkbacks: Webmention, Pingback and TrackBack in, verified, moderated.

Receiving
- A Webmention or TrackBack is recorded at once (status "verifying") and checked by the
  worker (`verify_linkback_task`, queued when the transaction commits). A Pingback is checked
  while the sender waits, because the protocol answers with fault codes.
- One source + target pair is one Linkback: a repeated notification updates it (and queues a
  new check) instead of adding a second one. A linkback a moderator marked spam or removed
  stays so whatever the source sends again.
- Each source host may send EARFUL_BLOG_LINKBACK_RATE linkbacks per window (rate_limits).

Verifying (verify_linkback)
- The source is fetched through earful.web (SSRF guard) with a byte cap
  (EARFUL_BLOG_LINKBACK_MAX_BYTES, 1 MB), a time cap (EARFUL_BLOG_LINKBACK_TIMEOUT, 10 s)
  and at most EARFUL_BLOG_LINKBACK_MAX_REDIRECTS (5) redirects.
- It links here: the page's microformats fill author, text, date and kind; then the status is
  spam (river spam score), else "pending" for moderation, except that a source host with a
  linkback already published is trusted ("published", and it enters the river). TrackBacks
  are always held. A moderator's decision is kept.
- 404/410, no link to the target any more, or a source that cannot be used (a private
  address, too large, a redirect loop, another 4xx): a linkback accepted before is "removed"
  and taken out of the river; one never accepted is "rejected".
- A fetch that fails for a passing reason (timeout, connection error, 5xx, 429): a linkback
  accepted before keeps its status, with the error in last_error, so a site that is down for
  an hour does not lose its published linkbacks; one never accepted is "rejected" with the
  error in last_error. There is no automatic retry: the sender's next notification (every
  sender re-sends on update) checks it again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import timezone
from django.utils.html import strip_tags

from earful.web import BlockedAddress, FetchError, FetchTimeout, TooLarge, TooManyRedirects, fetch

from .. import comment_checks as checks
from .. import rate_limits
from ..linkback_parsing import SourceReading, is_web_url, normalise_url, read_source
from ..models import Linkback, ModerationLog, Post
from ..river_link import linkback_entered, withdraw
from ..tasks import verify_linkback_task

MAX_URL = 2000
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_REDIRECTS = 5
ACCEPTED = (Linkback.Status.PENDING, Linkback.Status.PUBLISHED, Linkback.Status.SPAM)
ACCEPT_HEADER = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1"

# Pingback 1.0 fault codes.
FAULT_GENERIC = 0
FAULT_SOURCE_MISSING = 16
FAULT_NO_LINK = 17
FAULT_TARGET_MISSING = 32
FAULT_TARGET_INVALID = 33
FAULT_ALREADY_REGISTERED = 48
FAULT_ACCESS_DENIED = 49
FAULT_UPSTREAM = 50


class LinkbackError(ValueError):
    """A linkback refused; the message says why, for the sender. `status` is the HTTP status
    a Webmention endpoint answers, `fault` the Pingback fault code."""

    def __init__(self, message: str, *, status: int = 400, fault: int = FAULT_GENERIC) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.fault = fault


# --- the source and target --------------------------------------------------------------


def _clean_url(url: str, what: str, fault: int) -> str:
    url = (url or "").strip()
    if not url:
        raise LinkbackError(f"The {what} URL is missing.", fault=fault)
    if len(url) > MAX_URL:
        raise LinkbackError(f"The {what} URL is longer than {MAX_URL} characters.", fault=fault)
    if not is_web_url(url):
        raise LinkbackError(f"The {what} URL must be an http(s) URL, not {url!r}.", fault=fault)
    return normalise_url(url)


def clean_pair(source: str, target: str) -> tuple[str, str]:
    source = _clean_url(source, "source", FAULT_SOURCE_MISSING)
    target = _clean_url(target, "target", FAULT_TARGET_MISSING)
    if source == target:
        raise LinkbackError("The source and the target are the same URL.")
    return source, target


def _netloc(url: str) -> str:
    return urlsplit(normalise_url(url)).netloc


def post_for_target(target: str, request_host: str = "") -> Post:
    """The published post `target` names, on this site (EARFUL_SITE_URL or the request's
    own host); LinkbackError (fault 33: not ours, 32: no such post) when there is none."""
    parts = urlsplit(target)
    ours = {_netloc(settings.EARFUL_SITE_URL)}
    if request_host:
        ours.add(_netloc(f"{parts.scheme}://{request_host}/"))
    if _netloc(target) not in ours:
        raise LinkbackError(f"The target {target} is not on this site.", fault=FAULT_TARGET_INVALID)
    path = parts.path or "/"
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.view_name != "blog:post":
        raise LinkbackError(
            f"The target {target} is not a blog post of this site.", fault=FAULT_TARGET_INVALID
        )
    slug = match.kwargs.get("slug") or (match.args[0] if match.args else "")
    post = Post.objects.filter(slug=slug).select_related("author").first()
    if post is None or not post.is_live:
        raise LinkbackError(
            f"The target {target} is not a published post.", fault=FAULT_TARGET_MISSING
        )
    return post


def _check_rate(source: str) -> None:
    host = urlsplit(source).hostname or ""
    if not rate_limits.take(host):
        limit, window = rate_limits.linkback_rate()
        raise LinkbackError(
            f"Too many linkbacks from {host}: at most {limit} every {window} seconds. "
            "Please try again later.",
            status=429,
            fault=FAULT_ACCESS_DENIED,
        )


def _targets(linkback: Linkback) -> list[str]:
    """The URLs a source may link to for this linkback: the target as sent, and the post's
    address on EARFUL_SITE_URL."""
    return [linkback.target_url, f"{settings.EARFUL_SITE_URL}{linkback.post.get_absolute_url()}"]


# --- checking the source ----------------------------------------------------------------


class SourceState(enum.Enum):
    LINKS = "links here"
    GONE = "gone"  # 404 or 410
    NOT_LINKING = "does not link here"
    REFUSED = "cannot be used"  # guard, size, redirects, other 4xx: trying again won't help
    UNREACHABLE = "unreachable"  # timeout, connection, 5xx, 429: it may work later


@dataclass
class SourceCheck:
    state: SourceState
    detail: str = ""
    fault: int = FAULT_GENERIC
    reading: SourceReading = field(default_factory=lambda: SourceReading(links_here=False))


def _limit(name: str, default):
    return type(default)(getattr(settings, name, default))


def check_source(source: str, targets: list[str]) -> SourceCheck:
    """Fetch `source` under the linkback limits and read whether it links to a target."""
    try:
        response = fetch(
            source,
            headers={"Accept": ACCEPT_HEADER},
            max_bytes=_limit("EARFUL_BLOG_LINKBACK_MAX_BYTES", DEFAULT_MAX_BYTES),
            timeout=_limit("EARFUL_BLOG_LINKBACK_TIMEOUT", DEFAULT_TIMEOUT),
            max_redirects=_limit("EARFUL_BLOG_LINKBACK_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS),
        )
    except (BlockedAddress, TooManyRedirects) as exc:
        return SourceCheck(SourceState.REFUSED, str(exc), FAULT_SOURCE_MISSING)
    except TooLarge as exc:
        return SourceCheck(SourceState.REFUSED, str(exc), FAULT_GENERIC)
    except (FetchTimeout, FetchError) as exc:
        return SourceCheck(SourceState.UNREACHABLE, str(exc), FAULT_UPSTREAM)
    if response.status in (404, 410):
        detail = f"The source {source} answered {response.status}: it is gone."
        return SourceCheck(SourceState.GONE, detail, FAULT_SOURCE_MISSING)
    if response.status >= 500 or response.status == 429:
        detail = f"The source {source} answered {response.status}; try again later."
        return SourceCheck(SourceState.UNREACHABLE, detail, FAULT_UPSTREAM)
    if not 200 <= response.status < 300:
        detail = f"The source {source} answered {response.status}."
        return SourceCheck(SourceState.REFUSED, detail, FAULT_SOURCE_MISSING)
    try:
        reading = read_source(
            response.text, response.headers.get("content-type", ""), response.url, targets
        )
    except Exception as exc:  # hostile markup must not stop the worker
        detail = f"The source {source} could not be read: {type(exc).__name__}: {exc}"
        return SourceCheck(SourceState.REFUSED, detail[:1000], FAULT_GENERIC)
    if not reading.links_here:
        detail = f"The source {source} does not link to {targets[0]}."
        return SourceCheck(SourceState.NOT_LINKING, detail, FAULT_NO_LINK)
    return SourceCheck(SourceState.LINKS, reading=reading)


# --- what a check does to a linkback ----------------------------------------------------


def _log(linkback: Linkback, action: str, detail: str = "", user=None) -> None:
    ModerationLog.objects.create(linkback=linkback, action=action, detail=detail[:2000], user=user)


def _host_trusted(linkback: Linkback) -> bool:
    """Whether the source's host already has a published linkback (here, on any post)."""
    netloc = urlsplit(linkback.source_url).netloc
    published = Linkback.objects.filter(status=Linkback.Status.PUBLISHED).exclude(pk=linkback.pk)
    return (
        published.filter(source_url__startswith=f"https://{netloc}/").exists()
        or published.filter(source_url__startswith=f"http://{netloc}/").exists()
    )


def _status_for(linkback: Linkback) -> tuple[str, str]:
    """The status a linkback that links here gets, and why."""
    decided = (*ACCEPTED, Linkback.Status.REMOVED)
    if linkback.moderated_at is not None and linkback.status in decided:
        return linkback.status, "as the moderator decided"
    if checks.is_spam(linkback.spam_score):
        return Linkback.Status.SPAM, f"spam score {linkback.spam_score:.2f}"
    if linkback.status == Linkback.Status.PUBLISHED:
        return Linkback.Status.PUBLISHED, "published before"
    if linkback.protocol == Linkback.Protocol.TRACKBACK:
        return Linkback.Status.PENDING, "TrackBacks are held for moderation"
    if _host_trusted(linkback):
        return Linkback.Status.PUBLISHED, "the source's site has published linkbacks"
    return Linkback.Status.PENDING, "held for moderation"


def _accept(linkback: Linkback, reading: SourceReading, now=None) -> Linkback:
    """The source links here: take its details and decide its status."""
    now = now or timezone.now()
    old = linkback.status if linkback.pk else ""
    keep_sender_words = linkback.protocol == Linkback.Protocol.TRACKBACK
    linkback.kind = reading.kind
    if not (keep_sender_words and linkback.title):
        linkback.title = reading.title
    if not (keep_sender_words and linkback.excerpt):
        linkback.excerpt = reading.excerpt
    linkback.author_name = reading.author_name
    linkback.author_url = reading.author_url
    linkback.author_photo = reading.author_photo
    linkback.published_at = reading.published_at
    linkback.verified_at = now
    linkback.last_error = ""
    linkback.spam_score = checks.spam_score(linkback.excerpt or linkback.title, linkback.source_url)
    status, why = _status_for(linkback)
    linkback.status = status
    with transaction.atomic():
        linkback.save()
        if status != old:
            _log(linkback, "verified", f"{old or 'new'} -> {status}: {why}")
    if status == Linkback.Status.PUBLISHED:
        linkback_entered(linkback)
    elif old == Linkback.Status.PUBLISHED:
        withdraw(linkback)
    return linkback


def _refuse(linkback: Linkback, check: SourceCheck) -> Linkback:
    """The source is gone, no longer links, cannot be used, or cannot be reached now."""
    old = linkback.status
    accepted = old in ACCEPTED
    linkback.last_error = check.detail
    if check.state == SourceState.UNREACHABLE and accepted:
        linkback.save(update_fields=["last_error"])
        return linkback
    if old == Linkback.Status.REMOVED and linkback.moderated_at is not None:
        linkback.save(update_fields=["last_error"])  # a moderator removed it already
        return linkback
    linkback.status = Linkback.Status.REMOVED if accepted else Linkback.Status.REJECTED
    if accepted:
        linkback.moderated_at = None  # no moderator's decision holds for a page that is gone
        linkback.moderated_by = None
    with transaction.atomic():
        linkback.save()
        _log(linkback, linkback.status, f"{old} -> {linkback.status}: {check.detail}")
    withdraw(linkback)
    return linkback


def verify_linkback(linkback: Linkback) -> Linkback:
    """Fetch the source and set the linkback's status from what it says (see the module)."""
    check = check_source(linkback.source_url, _targets(linkback))
    if check.state == SourceState.LINKS:
        return _accept(linkback, check.reading)
    return _refuse(linkback, check)


# --- receiving ------------------------------------------------------------------------


def _decided_against(linkback: Linkback) -> bool:
    return linkback.moderated_at is not None and linkback.status in (
        Linkback.Status.SPAM,
        Linkback.Status.REMOVED,
    )


def _record(post: Post, protocol: str, source: str, target: str, **fields) -> tuple[Linkback, bool]:
    """Create the linkback of this pair, or update the one there is; and whether the source
    needs checking now."""
    now = timezone.now()
    with transaction.atomic():
        linkback = (
            Linkback.objects.select_for_update()
            .filter(source_url=source, target_url=target)
            .first()
        )
        if linkback is None:
            try:
                with transaction.atomic():
                    linkback = Linkback.objects.create(
                        post=post,
                        protocol=protocol,
                        source_url=source,
                        target_url=target,
                        status=Linkback.Status.VERIFYING,
                        received_at=now,
                        **fields,
                    )
                _log(linkback, "received", f"{protocol} from {source}")
                return linkback, True
            except IntegrityError:  # the same pair arrived at the same moment
                linkback = Linkback.objects.get(source_url=source, target_url=target)
        if _decided_against(linkback):
            return linkback, False
        linkback.protocol = protocol
        linkback.received_at = now
        for name, value in fields.items():
            setattr(linkback, name, value)
        if linkback.status not in ACCEPTED:
            linkback.status = Linkback.Status.VERIFYING
            linkback.last_error = ""
        linkback.save()
        _log(linkback, "received again", f"{protocol} from {source}")
    return linkback, True


def _verify_later(linkback: Linkback) -> None:
    pk = linkback.pk
    transaction.on_commit(lambda: verify_linkback_task.enqueue(pk))


def receive_webmention(source: str, target: str, *, request_host: str = "") -> Linkback:
    """Take a Webmention: check the request, record it, verify it in the worker."""
    source, target = clean_pair(source, target)
    post = post_for_target(target, request_host)
    _check_rate(source)
    linkback, check = _record(post, Linkback.Protocol.WEBMENTION, source, target)
    if check:
        _verify_later(linkback)
    return linkback


def receive_pingback(source: str, target: str, *, request_host: str = "") -> Linkback:
    """Take a Pingback, verified now: LinkbackError.fault is the fault code to answer."""
    source, target = clean_pair(source, target)
    post = post_for_target(target, request_host)
    existing = Linkback.objects.filter(source_url=source, target_url=target).first()
    if existing is not None and (existing.status in ACCEPTED or _decided_against(existing)):
        raise LinkbackError(
            f"The pingback from {source} to {target} is already registered.",
            fault=FAULT_ALREADY_REGISTERED,
        )
    _check_rate(source)
    linkback = existing or Linkback(
        post=post, protocol=Linkback.Protocol.PINGBACK, source_url=source, target_url=target
    )
    linkback.protocol = Linkback.Protocol.PINGBACK
    linkback.received_at = timezone.now()
    check = check_source(source, _targets(linkback))
    if check.state != SourceState.LINKS:
        raise LinkbackError(check.detail, fault=check.fault)
    try:
        return _accept(linkback, check.reading)
    except IntegrityError as exc:  # registered by a concurrent request meanwhile
        raise LinkbackError(
            f"The pingback from {source} to {target} is already registered.",
            fault=FAULT_ALREADY_REGISTERED,
        ) from exc


def _plain(text: str, limit: int) -> str:
    text = " ".join(strip_tags(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def receive_trackback(
    post: Post,
    url: str,
    *,
    target_url: str,
    title: str = "",
    excerpt: str = "",
    blog_name: str = "",
) -> Linkback:
    """Take a TrackBack ping for `post` (whose absolute URL is `target_url`); the worker
    checks that `url` links to the post, and a moderator decides."""
    if not post.is_live:
        raise LinkbackError("The post is not published.", fault=FAULT_TARGET_MISSING)
    source, target = clean_pair(url, target_url)
    _check_rate(source)
    linkback, check = _record(
        post,
        Linkback.Protocol.TRACKBACK,
        source,
        target,
        title=_plain(title, 300),
        excerpt=_plain(excerpt, 500),
        site_name=_plain(blog_name, 200),
    )
    if check:
        _verify_later(linkback)
    return linkback


# --- moderation -----------------------------------------------------------------------

MODERATION = {
    "approve": Linkback.Status.PUBLISHED,
    "spam": Linkback.Status.SPAM,
    "remove": Linkback.Status.REMOVED,
    "hold": Linkback.Status.PENDING,
}


def _user(user):
    return user if user is not None and user.is_authenticated else None


def moderate_linkback(linkback: Linkback, action: str, user, reason: str = "") -> Linkback:
    """approve (publish, into the river), spam, remove or hold (out of the river)."""
    if action not in MODERATION:
        raise LinkbackError(f"unknown moderation action {action!r}; use {', '.join(MODERATION)}")
    status = MODERATION[action]
    if status == Linkback.Status.PUBLISHED and linkback.status == Linkback.Status.VERIFYING:
        raise LinkbackError("This linkback is still being verified; approve it afterwards.")
    old = linkback.status
    with transaction.atomic():
        linkback.status = status
        linkback.moderated_by = _user(user)
        linkback.moderated_at = timezone.now()
        linkback.save(update_fields=["status", "moderated_by", "moderated_at"])
        detail = f"{old} -> {status}" + (f": {reason}" if reason else "")
        _log(linkback, action, detail, _user(user))
    if status == Linkback.Status.PUBLISHED:
        linkback_entered(linkback)
    else:
        withdraw(linkback)
    return linkback
