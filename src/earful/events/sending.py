"""Sending announcements: the worker claims each due announcement with a conditional
UPDATE (so two workers never send one twice), posts it through earful.web to its channel
(Mastodon, Bluesky or a signed webhook), logs the try in AnnouncementAttempt, and marks it
sent, failed (retried with exponential back-off) or given up.

What counts as what: a 2xx answer is sent; 408, 429, 5xx, timeouts and connection errors
are retried (5 minutes, then x4 each time, at most 6 hours apart, 6 attempts in all); any
other 4xx, a refused address or a text the channel cannot take is given up at once, with
the reason. A claim older than STALE_CLAIM is taken to be a worker that died and may be
claimed again; Mastodon gets an Idempotency-Key and Bluesky a record key derived from the
announcement, so a post that did go out before the crash is not posted twice there."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from earful.blog.river_link import absolute
from earful.inbox.alert_delivery import SIGNATURE_HEADER, sign
from earful.web import BlockedAddress, FetchError, TooManyRedirects, fetch

from .models import Announcement, AnnouncementAttempt, Channel

State = Announcement.State

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)
RETRY_FACTOR = 4
LAST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=10)
TIMEOUT = 20.0
MAX_ANSWER_BYTES = 256 * 1024
MASTODON_LIMIT = 500
MASTODON_URL_CHARS = 23  # Mastodon counts every link as 23 characters, whatever its length
BLUESKY_LIMIT = 300  # graphemes
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
DELIVERY_HEADER = "X-Earful-Delivery"


@dataclass
class Outcome:
    """What one try gave: its state (sent, failed or gave_up), the HTTP status if there
    was an answer, a line for the log, and the post's address when the channel says it."""

    state: str
    detail: str
    status_code: int | None = None
    remote_url: str = ""


@dataclass
class SendRun:
    """One round of sending: Bluesky sessions are opened once per account per round
    (createSession is rate limited far more tightly than posting)."""

    now: datetime
    sessions: dict[tuple[str, str], dict] = field(default_factory=dict)


def _short(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 5 min, 20 min, 80 min, 5h20, then 6 h."""
    return min(FIRST_RETRY * RETRY_FACTOR ** max(attempts - 1, 0), LAST_RETRY)


# --- text limits ----------------------------------------------------------------------------


def mastodon_length(text: str) -> int:
    """The length Mastodon checks against its limit: links count as 23 characters."""
    return len(URL.sub("x" * MASTODON_URL_CHARS, text))


def _joins_previous(char: str, previous: str) -> bool:
    code = ord(char)
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Mc"):
        return True
    if char == "\u200d" or previous == "\u200d":  # zero-width joiner sequences
        return True
    if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:  # variation, skin tone
        return True
    return 0xE0020 <= code <= 0xE007F  # emoji tag sequences (flags of regions)


def grapheme_count(text: str) -> int:
    """User-perceived characters, as Bluesky counts them: combining marks, emoji
    modifiers and joiner sequences belong to the character before, and two regional
    indicators make one flag. (An approximation of Unicode's extended grapheme clusters
    that agrees with it on text, accents, emoji and flags.)"""
    count = 0
    previous = ""
    pending_flag = False
    for char in text:
        if previous and _joins_previous(char, previous):
            previous = char
            continue
        if 0x1F1E6 <= ord(char) <= 0x1F1FF:
            if pending_flag:
                pending_flag = False
                previous = char
                continue
            pending_flag = True
        else:
            pending_flag = False
        count += 1
        previous = char
    return count


def channel_limit_problem(kind: str, text: str) -> str:
    """Why `text` cannot go out on a channel of this kind, or ""."""
    if kind == Channel.Kind.MASTODON and mastodon_length(text) > MASTODON_LIMIT:
        return (
            f"The text is {mastodon_length(text)} characters as Mastodon counts them "
            f"(links count 23); Mastodon takes {MASTODON_LIMIT}."
        )
    if kind == Channel.Kind.BLUESKY and grapheme_count(text) > BLUESKY_LIMIT:
        return f"The text is {grapheme_count(text)} characters; Bluesky takes {BLUESKY_LIMIT}."
    return ""


# --- answers ---------------------------------------------------------------------------------


def _retryable(status: int) -> bool:
    return status in (408, 429) or status >= 500


def _answer_error(response) -> str:
    """The service's own words about an error, from its JSON when it sends some."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return _short(response.text, 300)
    if isinstance(data, dict):
        parts = [str(data.get(key)) for key in ("error", "message") if data.get(key)]
        if parts:
            return _short(": ".join(parts), 300)
    return _short(response.text, 300)


def _refused(response, what: str) -> Outcome:
    said = _answer_error(response)
    detail = f"{what} answered {response.status}" + (f": {said}" if said else "")
    state = State.FAILED if _retryable(response.status) else State.GAVE_UP
    return Outcome(state, detail, response.status)


def _fetch_failed(exc: FetchError, what: str) -> Outcome:
    final = isinstance(exc, BlockedAddress | TooManyRedirects)
    return Outcome(State.GAVE_UP if final else State.FAILED, _short(f"{what}: {exc}"))


def _json(response) -> dict:
    try:
        data = json.loads(response.content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _post(url: str, *, json_body=None, data: bytes | None = None, headers=None):
    return fetch(
        url,
        method="POST",
        json=json_body,
        data=data,
        headers=headers,
        max_bytes=MAX_ANSWER_BYTES,
        timeout=TIMEOUT,
        max_redirects=0,  # a POST is not replayed somewhere else
    )


def _web_url(value) -> str:
    value = str(value or "")
    return value if value.startswith(("https://", "http://")) and len(value) <= 500 else ""


def _base(value: str) -> str:
    value = (value or "").strip().rstrip("/")
    return value if value.startswith(("https://", "http://")) else ""


# --- Mastodon --------------------------------------------------------------------------------


def send_mastodon(announcement: Announcement, run: SendRun) -> Outcome:
    config = announcement.channel.config or {}
    instance, token = _base(config.get("instance", "")), config.get("token", "")
    if not instance or not token:
        return Outcome(State.GAVE_UP, "The channel needs an instance address and a token.")
    endpoint = f"{instance}/api/v1/statuses"
    try:
        response = _post(
            endpoint,
            json_body={"status": announcement.text, "visibility": "public"},
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": f"earful-announcement-{announcement.pk}",
            },
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Posting to Mastodon failed")
    if not 200 <= response.status < 300:
        return _refused(response, instance)
    status = _json(response)
    url = _web_url(status.get("url") or status.get("uri"))
    return Outcome(State.SENT, f"Posted on {instance}.", response.status, url)


# --- Bluesky ---------------------------------------------------------------------------------

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(announcement: Announcement) -> str:
    """A timestamp identifier (TID, the key kind Bluesky posts use) made from the
    announcement, the same on every try: a second createRecord after a crash is refused
    by the server instead of posting twice."""
    moment = announcement.send_at or timezone.now()
    micros = int(moment.timestamp() * 1_000_000)
    value = (micros << 10) | (announcement.pk % 1024)
    value &= (1 << 63) - 1
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def link_facets(text: str) -> list[dict]:
    """Rich-text facets making each URL in the text a link; offsets are UTF-8 bytes."""
    facets = []
    for match in URL.finditer(text):
        start = len(text[: match.start()].encode())
        end = start + len(match.group().encode())
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group()}],
            }
        )
    return facets


def _bluesky_session(service: str, handle: str, password: str, run: SendRun):
    """The session's {"did", "accessJwt", "handle"}, or an Outcome saying why not."""
    key = (service, handle)
    if key in run.sessions:
        return run.sessions[key]
    try:
        response = _post(
            f"{service}/xrpc/com.atproto.server.createSession",
            json_body={"identifier": handle, "password": password},
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Signing in to Bluesky failed")
    if not 200 <= response.status < 300:
        outcome = _refused(response, f"{service} (sign-in)")
        return outcome
    session = _json(response)
    if not session.get("accessJwt") or not session.get("did"):
        return Outcome(State.FAILED, "Bluesky's sign-in answer had no session.", response.status)
    run.sessions[key] = session
    return session


def send_bluesky(announcement: Announcement, run: SendRun) -> Outcome:
    config = announcement.channel.config or {}
    service = _base(config.get("service", "")) or "https://bsky.social"
    handle, password = config.get("handle", ""), config.get("app_password", "")
    if not handle or not password:
        return Outcome(State.GAVE_UP, "The channel needs a handle and an app password.")
    session = _bluesky_session(service, handle, password, run)
    if isinstance(session, Outcome):
        return session
    rkey = record_key(announcement)
    record = {
        "$type": "app.bsky.feed.post",
        "text": announcement.text,
        "createdAt": run.now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    facets = link_facets(announcement.text)
    if facets:
        record["facets"] = facets
    try:
        response = _post(
            f"{service}/xrpc/com.atproto.repo.createRecord",
            json_body={
                "repo": session["did"],
                "collection": "app.bsky.feed.post",
                "rkey": rkey,
                "record": record,
            },
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Posting to Bluesky failed")
    if response.status == 401 or _json(response).get("error") in ("ExpiredToken", "InvalidToken"):
        run.sessions.pop((service, handle), None)  # expired: sign in again next time
        said = _answer_error(response)
        return Outcome(
            State.FAILED,
            f"Bluesky refused the session ({response.status}): {said}",
            response.status,
        )
    if not 200 <= response.status < 300:
        return _refused(response, service)
    uri = str(_json(response).get("uri", ""))
    post_key = uri.rsplit("/", 1)[-1] if uri.startswith("at://") else rkey
    profile = session.get("handle") or session["did"]
    url = _web_url(f"https://bsky.app/profile/{profile}/post/{post_key}")
    return Outcome(State.SENT, f"Posted as {profile} ({uri or 'no uri'}).", response.status, url)


# --- webhook ---------------------------------------------------------------------------------


def webhook_payload(announcement: Announcement) -> dict:
    stop = announcement.stop
    tour = stop.tour
    return {
        "event": "stop.announced",
        "id": announcement.pk,
        "tour": {"title": tour.title, "slug": tour.slug, "url": absolute(tour.get_absolute_url())},
        "stop": {
            "id": stop.pk,
            "venue": stop.venue,
            "address": stop.address,
            "city": stop.city,
            "latitude": stop.latitude,
            "longitude": stop.longitude,
            "time_zone": stop.time_zone,
            "starts_at": stop.starts_at.isoformat(),
            "ends_at": stop.ends_at.isoformat(),
        },
        "text": announcement.text,
        "url": absolute(stop.get_absolute_url()),
    }


def send_webhook(announcement: Announcement, run: SendRun) -> Outcome:
    config = announcement.channel.config or {}
    url, secret = (config.get("url") or "").strip(), config.get("secret") or ""
    if not url or not secret:
        return Outcome(State.GAVE_UP, "The channel needs a URL and a secret.")
    body = json.dumps(webhook_payload(announcement), separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body),
        DELIVERY_HEADER: str(announcement.pk),  # the same on every retry: receivers dedupe
    }
    try:
        response = _post(url, data=body, headers=headers)
    except FetchError as exc:
        return _fetch_failed(exc, "The webhook failed")
    if not 200 <= response.status < 300:
        return _refused(response, "The webhook")
    return Outcome(State.SENT, f"Delivered ({response.status}).", response.status)


SENDERS: dict[str, Callable[[Announcement, SendRun], Outcome]] = {
    Channel.Kind.MASTODON: send_mastodon,
    Channel.Kind.BLUESKY: send_bluesky,
    Channel.Kind.WEBHOOK: send_webhook,
}


# --- claiming and recording ------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return (
        Q(state=State.SCHEDULED)
        | Q(state=State.FAILED, next_attempt_at__lte=now)
        | Q(state=State.FAILED, next_attempt_at__isnull=True)
        | Q(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )


def due_announcements(now: datetime | None = None):
    """Announcements whose time has come and that no live worker holds."""
    now = now or timezone.now()
    return Announcement.objects.filter(_claimable(now), send_at__lte=now).order_by("send_at", "id")


def claim(announcement: Announcement, now: datetime, *, early_retry: bool = False) -> bool:
    """Take the announcement for this worker; False if another has it or it is settled.
    `early_retry` (staff's "send now") does not wait for a failed one's back-off."""
    condition = _claimable(now)
    if early_retry:
        condition |= Q(state=State.FAILED)
    taken = Announcement.objects.filter(condition, pk=announcement.pk, send_at__lte=now).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if taken:
        announcement.state, announcement.claimed_at = State.SENDING, now
        announcement.attempts += 1
    return bool(taken)


def _not_wanted(announcement: Announcement, now: datetime) -> str:
    """Why an announcement that is due should not go out after all, or ""."""
    stop, channel = announcement.stop, announcement.channel
    if not channel.enabled:
        return f"The channel {channel.name} is disabled."
    if stop.cancelled:
        return "The stop was cancelled."
    if not stop.tour.published:
        return "The tour is not published."
    if stop.ends_at <= now:
        return "The stop was over before the announcement could go out."
    return ""


def record(announcement: Announcement, outcome: Outcome, now: datetime) -> Announcement:
    """Log the try and settle the announcement's state."""
    state = outcome.state
    detail = outcome.detail
    if state == State.FAILED and announcement.attempts >= MAX_ATTEMPTS:
        state = State.GAVE_UP
        detail = f"{detail} Gave up after {announcement.attempts} attempts."
    announcement.state = state
    announcement.claimed_at = None
    announcement.next_attempt_at = (
        now + retry_delay(announcement.attempts) if state == State.FAILED else None
    )
    if state == State.SENT:
        announcement.sent_at = now
        announcement.remote_url = outcome.remote_url
        announcement.last_error = ""
    else:
        announcement.last_error = _short(detail, 2_000)
    with transaction.atomic():
        announcement.save(
            update_fields=[
                "state", "claimed_at", "next_attempt_at", "sent_at", "remote_url", "last_error",
            ]
        )  # fmt: skip
        AnnouncementAttempt.objects.create(
            announcement=announcement,
            at=now,
            ok=state == State.SENT,
            status_code=outcome.status_code,
            detail=_short(detail, 2_000),
        )
    return announcement


def _attempt(announcement: Announcement, run: SendRun, *, early_retry: bool = False) -> bool:
    if not claim(announcement, run.now, early_retry=early_retry):
        return False
    reason = _not_wanted(announcement, run.now)
    if reason:
        record(announcement, Outcome(State.CANCELLED, f"Not sent: {reason}"), run.now)
        return True
    problem = channel_limit_problem(announcement.channel.kind, announcement.text)
    if problem:
        outcome = Outcome(State.GAVE_UP, f"{problem} Edit the text and send it again.")
    else:
        try:
            outcome = SENDERS[announcement.channel.kind](announcement, run)
        except Exception as exc:  # noqa: BLE001 - logged and retried, never loses the claim
            outcome = Outcome(State.FAILED, _short(f"{type(exc).__name__}: {exc}"))
    record(announcement, outcome, run.now)
    return True


def send_due_announcements(now: datetime | None = None, limit: int = 200) -> list[Announcement]:
    """Send every due announcement this worker can claim; return those it tried."""
    run = SendRun(now or timezone.now())
    tried = []
    due = due_announcements(run.now).select_related("stop__tour", "channel")[:limit]
    for announcement in due:
        if _attempt(announcement, run):
            tried.append(announcement)
    return tried


def send_now(announcement: Announcement, user, now: datetime | None = None) -> Announcement:
    """Staff's "send now" for a due announcement (a failed one need not wait for its
    back-off). Raises TourError when it is not due or another worker has it."""
    from .errors import TourError
    from .permissions import can_manage

    if not can_manage(user):
        raise TourError("Only staff who manage tours can send announcements.")
    run = SendRun(now or timezone.now())
    current = Announcement.objects.select_related("stop__tour", "channel").get(pk=announcement.pk)
    if current.send_at > run.now:
        raise TourError("This announcement is not due yet; it goes out at its time.")
    if current.state not in (State.SCHEDULED, State.FAILED):
        raise TourError(f"This announcement is {current.get_state_display().lower()}.")
    if not _attempt(current, run, early_retry=True):
        raise TourError("Another worker is sending this announcement right now.")
    return current
