"""Linkbacks out: tell the pages a post links to about the post (Webmention, else Pingback).

`send_linkbacks(post)` runs in the worker after a post is published or updated, and again
when failed sends are due. Each http(s) link of the post's body to another site has one
OutgoingLink row (unique post + target) recording what the last attempt gave, for the
author to see.

When a link is due (the rule, in `is_due`):
- a new row, or one reset to "pending", is sent;
- a row still linked from the post is sent again when the post changed since the last
  attempt (`post.updated_at > last_attempt_at`): that is "not yet sent for this version of
  the post". Recording an attempt stores `last_attempt_at = max(now, post.updated_at)`, so a
  worker whose clock lags the web process's does not re-send the same version forever;
- a failed row is retried once `next_attempt_at` has come;
- anything else (sent, no endpoint, gave up) waits for the next version of the post.

A link removed from the post gets one more notification, as the Webmention Recommendation asks
("re-send ... including to a URL that may have been removed"), so the receiver can
re-verify and delete its mention: on the run that notices the removal the row is marked
`still_linked=False` and reset to pending; it is sent once (retried if that fails) and never
again, unless the link comes back.

For each due link: fetch the target through `earful.web.fetch` (byte and time caps,
redirects re-checked by the SSRF guard), discover its endpoints (`endpoint_discovery`), then
POST a Webmention (form source + target), or else a Pingback (XML-RPC `pingback.ping`, the
answer parsed with defusedxml), or else record "no endpoint".

Failures: network errors, timeouts, 429 and 5xx answers (and the Pingback fault 50, an
upstream problem) are retried with exponential back-off (5 min, 10, 20 ... capped at 6 h)
and given up after MAX_ATTEMPTS. Answers that will not change by retrying (a 4xx other than
429, an XML-RPC fault, a blocked private address, a page over the byte cap, a redirect
loop) end the attempt at once as "gave up", with the reason in `detail`. A new version of
the post starts a new round of attempts.
"""

from __future__ import annotations

import xml.parsers.expat
import xmlrpc.client
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser
from django.conf import settings
from django.utils import timezone

from earful.web.http import (
    BlockedAddress,
    FetchError,
    Response,
    TooLarge,
    TooManyRedirects,
    fetch,
)

from ..endpoint_discovery import discover_endpoints
from ..models import OutgoingLink, Post
from ..river_link import absolute

DISCOVERY_MAX_BYTES = 2 * 1024 * 1024  # a target page larger than this is not searched
ENDPOINT_MAX_BYTES = 64 * 1024  # what we read of an endpoint's answer
TIMEOUT = 10.0  # seconds, for each fetch (the whole redirect chain included)
MAX_REDIRECTS = 5
MAX_ATTEMPTS = 6
RETRY_BASE = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=6)
DETAIL_CHARS = 300
MAX_URL_LENGTH = 2000  # OutgoingLink.target_url
# Pingback 1.0 fault codes that mean "already done" and "try again later".
PINGBACK_ALREADY_REGISTERED = 48
PINGBACK_UPSTREAM_PROBLEM = 50

Status = OutgoingLink.Status


@dataclass
class Outcome:
    """What one attempt gave. `retry`: a failure that may go away (network, 429, 5xx)."""

    status: str
    detail: str
    protocol: str = ""
    endpoint: str = ""
    response_status: int | None = None
    retry: bool = False


# --- which links --------------------------------------------------------------------------


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        for name, value in attrs:
            if name == "href":
                if value:
                    self.hrefs.append(value.strip())
                return


def site_host() -> str:
    return (urlsplit(settings.EARFUL_SITE_URL).hostname or "").lower()


def links_in(body_html: str, own_host: str = "") -> list[str]:
    """The absolute http(s) links of a post's HTML, in order, once each, none to own_host."""
    collector = _LinkCollector()
    collector.feed(body_html or "")
    collector.close()
    links: list[str] = []
    seen: set[str] = set()
    for href in collector.hrefs:
        try:
            parts = urlsplit(href)
            host = (parts.hostname or "").lower()
        except ValueError:  # e.g. a malformed port or IPv6 literal
            continue
        if parts.scheme.lower() not in ("http", "https") or not host:
            continue
        if host == own_host or len(href) > MAX_URL_LENGTH or href in seen:
            continue
        seen.add(href)
        links.append(href)
    return links


def _sync_rows(post: Post) -> list[OutgoingLink]:
    """One row per link of the post; rows of links that left the post get one more send."""
    current = links_in(post.body_html, site_host())
    rows = {row.target_url: row for row in post.outgoing_links.all()}
    for url in current:
        row = rows.get(url)
        if row is None:
            rows[url], _ = OutgoingLink.objects.get_or_create(post=post, target_url=url)
        elif not row.still_linked:  # the link came back
            row.still_linked = True
            _reset(row)
            row.save()
    kept = set(current)
    for url, row in rows.items():
        if url not in kept and row.still_linked:
            row.still_linked = False
            _reset(row)
            row.save()
    return sorted(rows.values(), key=lambda row: row.pk)


def _reset(row: OutgoingLink) -> None:
    row.status = Status.PENDING
    row.attempts = 0
    row.next_attempt_at = None


def _new_version(row: OutgoingLink, post: Post) -> bool:
    return (
        row.still_linked
        and row.last_attempt_at is not None
        and post.updated_at > row.last_attempt_at
    )


def is_due(row: OutgoingLink, post: Post, now: datetime) -> bool:
    """Whether `row` is to be sent on this run (see the module's docstring)."""
    if row.status == Status.PENDING or row.last_attempt_at is None:
        return True
    if _new_version(row, post):
        return True
    if row.status == Status.FAILED:
        return row.next_attempt_at is None or row.next_attempt_at <= now
    return False


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 5 min, 10, 20 ... at most 6 h."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


# --- one attempt --------------------------------------------------------------------------


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _fetch_failed(exc: FetchError, what: str, **fields) -> Outcome:
    # A private address, an oversized page or a redirect loop will not change by retrying.
    final = isinstance(exc, BlockedAddress | TooLarge | TooManyRedirects)
    return Outcome(
        Status.GAVE_UP if final else Status.FAILED,
        _short(f"{what}: {exc}"),
        retry=not final,
        **fields,
    )


def _send_webmention(endpoint: str, source: str, target: str) -> Outcome:
    fields = {"protocol": "webmention", "endpoint": endpoint}
    try:
        answer = fetch(
            endpoint,
            method="POST",
            data={"source": source, "target": target},
            max_bytes=ENDPOINT_MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=MAX_REDIRECTS,
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Sending the Webmention failed", **fields)
    fields["response_status"] = answer.status
    said = _short(answer.text)
    if 200 <= answer.status < 300:
        location = answer.headers.get("location", "")
        detail = f"Accepted ({answer.status})"
        if location:
            detail += f", status at {location}"
        return Outcome(Status.SENT, _short(f"{detail}. {said}".strip()), **fields)
    if _retryable(answer.status):
        return Outcome(
            Status.FAILED,
            _short(f"The endpoint answered {answer.status}. {said}"),
            retry=True,
            **fields,
        )
    return Outcome(
        Status.GAVE_UP, _short(f"The endpoint refused it ({answer.status}). {said}"), **fields
    )


def parse_pingback_answer(content: bytes) -> str:
    """The string an XML-RPC pingback.ping answer carries.

    Raises xmlrpc.client.Fault for a fault answer and ValueError for anything that is not a
    well-formed XML-RPC answer; DTDs (and so entity bombs and external entities) are refused.
    """
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(content)
        parser.close()
        values = unmarshaller.close()  # raises Fault
    except xmlrpc.client.Fault:
        raise
    except DefusedXmlException as exc:
        raise ValueError(f"not an XML-RPC answer (a {type(exc).__name__}: refused)") from exc
    except (
        xml.parsers.expat.ExpatError,
        xmlrpc.client.ResponseError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
    ) as exc:
        raise ValueError(f"not an XML-RPC answer ({type(exc).__name__}: {exc})") from exc
    if len(values) != 1:
        raise ValueError("not an XML-RPC answer (it carries no single value)")
    return str(values[0])


def _send_pingback(endpoint: str, source: str, target: str) -> Outcome:
    fields = {"protocol": "pingback", "endpoint": endpoint}
    body = xmlrpc.client.dumps((source, target), methodname="pingback.ping", encoding="utf-8")
    try:
        answer = fetch(
            endpoint,
            method="POST",
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            max_bytes=ENDPOINT_MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=MAX_REDIRECTS,
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Sending the Pingback failed", **fields)
    fields["response_status"] = answer.status
    if _retryable(answer.status):
        return Outcome(
            Status.FAILED, f"The Pingback endpoint answered {answer.status}.", retry=True, **fields
        )
    if answer.status != 200:
        return Outcome(
            Status.GAVE_UP, f"The Pingback endpoint refused it ({answer.status}).", **fields
        )
    try:
        said = parse_pingback_answer(answer.content)
    except xmlrpc.client.Fault as fault:
        text = _short(f"Pingback fault {fault.faultCode}: {fault.faultString}")
        if fault.faultCode == PINGBACK_ALREADY_REGISTERED:
            return Outcome(Status.SENT, text, **fields)
        if fault.faultCode == PINGBACK_UPSTREAM_PROBLEM:
            return Outcome(Status.FAILED, text, retry=True, **fields)
        return Outcome(Status.GAVE_UP, text, **fields)
    except ValueError as exc:
        return Outcome(Status.GAVE_UP, _short(f"The Pingback endpoint answered {exc}."), **fields)
    return Outcome(Status.SENT, _short(f"Accepted: {said}"), **fields)


def _no_endpoint(page: Response) -> Outcome:
    detail = "The page advertises no Webmention or Pingback endpoint."
    if page.status >= 400:
        detail = f"The page answered {page.status} and advertises no endpoint."
    return Outcome(Status.NO_ENDPOINT, detail, response_status=page.status)


def notify(target: str, source: str) -> Outcome:
    """Discover `target`'s endpoints and tell it that `source` links to it."""
    try:
        page = fetch(
            target,
            headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            max_bytes=DISCOVERY_MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=MAX_REDIRECTS,
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Fetching the page failed")
    if _retryable(page.status):
        return Outcome(
            Status.FAILED,
            f"The page answered {page.status}.",
            response_status=page.status,
            retry=True,
        )
    endpoints = discover_endpoints(page)
    if endpoints.webmention:
        return _send_webmention(endpoints.webmention, source, target)
    if endpoints.pingback:
        return _send_pingback(endpoints.pingback, source, target)
    return _no_endpoint(page)


def _record(row: OutgoingLink, post: Post, outcome: Outcome, now: datetime) -> None:
    row.attempts += 1
    row.last_attempt_at = max(now, post.updated_at)
    row.protocol = outcome.protocol
    row.endpoint = outcome.endpoint[:MAX_URL_LENGTH]
    row.response_status = outcome.response_status
    row.detail = outcome.detail
    row.next_attempt_at = None
    if not outcome.retry:
        row.status = outcome.status
    elif row.attempts >= MAX_ATTEMPTS:
        row.status = Status.GAVE_UP
        row.detail = _short(f"{outcome.detail} Gave up after {row.attempts} attempts.")
    else:
        row.status = Status.FAILED
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.save()


# --- the action ---------------------------------------------------------------------------


def send_linkbacks(post: Post, now: datetime | None = None) -> list[OutgoingLink]:
    """Notify every due link of a published post; return all of the post's rows.

    A post that is not live sends nothing (a draft's links are nobody's business yet).
    """
    now = now or timezone.now()
    if not post.is_live:
        return list(post.outgoing_links.order_by("id"))
    source = absolute(post.get_absolute_url())
    rows = _sync_rows(post)
    for row in rows:
        if not is_due(row, post, now):
            continue
        if _new_version(row, post):
            row.attempts = 0  # a new version of the post: a new round of attempts
        _record(row, post, notify(row.target_url, source), now)
    return rows
