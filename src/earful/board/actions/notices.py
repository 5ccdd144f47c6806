"""Closing the loop: when an idea's status changes, tell everyone who raised it, on the
channel they used.

`plan_notices(change)` says who hears and how; `send_notices(change)` writes one Notice row
per (change, channel, recipient) — the database's unique constraint makes a second row
impossible — and sends what is not sent yet. It runs in the worker (`tasks.queue_notices`)
and may be run again at any time: after a crash, a timeout or a failure it sends only what
is missing.

The channels:

1. email: voters and followers with an address, less anyone who unsubscribed (from this
   idea or from all board mail, notify_email) and the person who made the change;
2. thread_reply: people who raised it on an owned channel (a blog comment linked as
   evidence ...): a reply in their thread, published by the app that owns the channel
   (`earful.inbox.publishing.publisher_for`), written as the staff member who made the
   change. The idea's own voices on the board are not answered there: the change is on
   the idea's page, and its followers and voters get the mail;
3. webmention: authors of linked external posts, when the idea is done: a Webmention from
   the changelog entry (which links their post) to their post, if the page advertises an
   endpoint;
4. by_hand: everyone else (external posts without an endpoint, any external post on a change
   that is not "done", owned channels without a publisher, and any of the above that could
   not be reached) is listed on the idea for staff to answer by hand ("to do" until staff
   mark it done).

Sending is claimed row by row with a conditional update (state -> "sending"), so two
workers never send the same notice. The outcome is recorded on the row: sent, failed (the
next run tries again, up to MAX_ATTEMPTS), gave up, or skipped, with the reason in
`detail`. A thread reply is published in the same transaction that records it, so a crash
leaves neither. A row left "sending" by a crash is taken up again after STALE_CLAIM —
except an email, which may have left before the crash: it is marked "gave up" rather than
risk a second copy.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from earful.blog.endpoint_discovery import discover_endpoints
from earful.inbox.publishing import PublishError, publisher_for
from earful.river.models import Mention
from earful.web.http import BlockedAddress, FetchError, TooLarge, TooManyRedirects, fetch

from .. import notify_email
from ..models import Evidence, Follow, Idea, Notice, Status, StatusChange, Vote
from ..river_link import APP as BOARD_APP
from ..river_link import absolute

Channel = Notice.Channel
State = Notice.State

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)  # longer than any one send can take
RETRY_BASE = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=6)
DETAIL_CHARS = 500
MAX_RECIPIENT = 2000  # Notice.recipient
DISCOVERY_MAX_BYTES = 2 * 1024 * 1024
ENDPOINT_MAX_BYTES = 64 * 1024
TIMEOUT = 10.0
MAX_REDIRECTS = 5
SENDABLE = (State.PENDING, State.FAILED)


# --- who hears ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    channel: str
    recipient: str  # the row's key: an address, "mention:<id>", a URL
    user_id: int | None = None
    mention_id: int | None = None


@dataclass
class NoticePlan:
    """Who hears about a change, by channel."""

    email: list[Recipient] = field(default_factory=list)
    thread_reply: list[Recipient] = field(default_factory=list)
    webmention: list[Recipient] = field(default_factory=list)
    by_hand: list[Recipient] = field(default_factory=list)

    def by_channel(self) -> dict[str, list[Recipient]]:
        return {
            Channel.EMAIL: self.email,
            Channel.THREAD_REPLY: self.thread_reply,
            Channel.WEBMENTION: self.webmention,
            Channel.BY_HAND: self.by_hand,
        }

    def __iter__(self) -> Iterator[Recipient]:
        for recipients in self.by_channel().values():
            yield from recipients

    def __len__(self) -> int:
        return sum(len(recipients) for recipients in self.by_channel().values())


def mention_key(mention_id: int) -> str:
    return f"mention:{mention_id}"


def is_done(change: StatusChange) -> bool:
    return change.to_status.kind == Status.Kind.CLOSED_DONE


def _email_recipients(change: StatusChange) -> list[Recipient]:
    idea = change.idea
    people = Q(pk__in=Follow.objects.filter(idea=idea).values("user_id")) | Q(
        pk__in=Vote.objects.filter(idea=idea).values("user_id")
    )
    users = get_user_model().objects.filter(people, is_active=True).exclude(email="")
    if change.by_id is not None:
        users = users.exclude(pk=change.by_id)
    blocked = notify_email.blocked_user_ids(idea, users.values("pk"))
    recipients, seen = [], set()
    for user_id, email in users.order_by("pk").values_list("pk", "email"):
        address = email.strip()
        key = address.lower()
        if user_id in blocked or "@" not in key or key in seen or len(key) > MAX_RECIPIENT:
            continue
        seen.add(key)
        recipients.append(Recipient(Channel.EMAIL, key, user_id=user_id))
    return recipients


def _own_voice(mention: Mention, idea: Idea) -> bool:
    """Whether the mention is this idea (or one merged into it) or a comment on it, on the
    board itself: its people hear by mail, and the change is on the idea's page."""
    if mention.source.config.get("app") != BOARD_APP:
        return False
    from ..replies import idea_of_mention

    own = idea_of_mention(mention)
    return own is not None and idea.pk in (own.pk, own.merged_into_id)


def plan_notices(change: StatusChange) -> NoticePlan:
    """Who hears about `change`, on which channel (see the module's docstring)."""
    plan = NoticePlan(email=_email_recipients(change))
    done = is_done(change)
    evidence = (
        Evidence.objects.filter(idea_id=change.idea_id)
        .select_related("mention__source")
        .order_by("linked_at", "id")
    )
    seen: set[tuple[str, str]] = set()

    def add(recipients: list[Recipient], recipient: Recipient) -> None:
        key = (recipient.channel, recipient.recipient)
        if key not in seen:
            seen.add(key)
            recipients.append(recipient)

    for item in evidence:
        mention = item.mention
        by_hand = Recipient(Channel.BY_HAND, mention_key(mention.pk), mention_id=mention.pk)
        if mention.owned:
            if _own_voice(mention, change.idea):
                continue
            if publisher_for(mention) is not None:
                key = mention_key(mention.pk)
                add(plan.thread_reply, Recipient(Channel.THREAD_REPLY, key, mention_id=mention.pk))
            else:
                add(plan.by_hand, by_hand)
            continue
        url = mention.url or mention.canonical_url
        if done and url.startswith(("http://", "https://")) and len(url) <= MAX_RECIPIENT:
            add(plan.webmention, Recipient(Channel.WEBMENTION, url, mention_id=mention.pk))
        else:
            add(plan.by_hand, by_hand)
    return plan


# --- one attempt --------------------------------------------------------------------------


@dataclass
class Outcome:
    state: str
    detail: str
    by_hand: bool = False  # the person could not be reached: list them for staff


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def entry_url(change: StatusChange) -> str:
    """The absolute URL of the change's changelog entry, where the changelog has one; else
    the idea's. A Webmention's source must link its target, and the entry lists the voices."""
    try:
        path = reverse("board:changelog-entry", args=[change.pk])
    except NoReverseMatch:
        path = change.idea.get_absolute_url()
    return absolute(path)


class _Run:
    """What one send_notices run shares between its notices: the change, the wording, one
    mail connection."""

    def __init__(self, change: StatusChange) -> None:
        self.change = change
        self.source_url = entry_url(change)
        self.mail_context = notify_email.mail_context(change, self.source_url)
        self._connection = None

    @property
    def connection(self):
        if self._connection is None:
            self._connection = get_connection()
        return self._connection

    def drop_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is dropped either way
                self._connection.close()
            self._connection = None

    def reply_text(self, mention: Mention) -> str:
        return render_to_string(
            "board/notify/thread_reply.txt", {**self.mail_context, "mention": mention}
        ).strip()


def _smtp_outcome(exc: Exception) -> Outcome:
    """A refusal the server says is final (5xx) ends it; anything else is tried again."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in exc.recipients.values()]
        code = max(codes) if codes else None
    detail = _short(f"The mail server refused it: {type(exc).__name__}: {exc}")
    if isinstance(code, int) and 500 <= code < 600:
        return Outcome(State.GAVE_UP, detail)
    return Outcome(State.FAILED, _short(f"Sending the mail failed: {type(exc).__name__}: {exc}"))


def _send_email(notice: Notice, run: _Run) -> Outcome:
    user = notify_email.user_for_notice(notice)
    if user is None:
        return Outcome(State.SKIPPED, "The account is gone or inactive.")
    if notify_email.is_unsubscribed(user, run.change.idea):
        return Outcome(State.SKIPPED, "Unsubscribed before it was sent.")
    message = notify_email.status_message(
        run.mail_context, user, notice.recipient, notice, connection=run.connection
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        run.drop_connection()
        return _smtp_outcome(exc)
    return Outcome(State.SENT, f"Mailed to {notice.recipient}.")


def _send_thread_reply(notice: Notice, run: _Run) -> Outcome:
    mention = Mention.objects.select_related("source").filter(pk=notice.mention_id).first()
    if mention is None:
        return Outcome(State.GAVE_UP, "The mention is no longer in the river.", by_hand=False)
    publisher = publisher_for(mention)
    if publisher is None:
        return Outcome(State.GAVE_UP, "Its channel no longer publishes replies.", by_hand=True)
    if run.change.by is None:
        return Outcome(
            State.GAVE_UP, "Who changed the status is no longer an account.", by_hand=True
        )
    try:
        url = publisher(mention, run.reply_text(mention), run.change.by)
    except PublishError as exc:
        return Outcome(State.GAVE_UP, _short(f"The reply was refused: {exc}"), by_hand=True)
    return Outcome(State.SENT, _short(f"Replied in their thread: {url}"))


def _fetch_failed(exc: FetchError, what: str) -> Outcome:
    final = isinstance(exc, BlockedAddress | TooLarge | TooManyRedirects)
    return Outcome(
        State.GAVE_UP if final else State.FAILED, _short(f"{what}: {exc}"), by_hand=final
    )


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def send_webmention(target: str, source: str) -> Outcome:
    """Discover `target`'s Webmention endpoint and tell it that `source` links to it."""
    try:
        page = fetch(
            target,
            headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            max_bytes=DISCOVERY_MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=MAX_REDIRECTS,
        )
    except FetchError as exc:
        return _fetch_failed(exc, "Fetching their page failed")
    if _retryable(page.status):
        return Outcome(State.FAILED, f"Their page answered {page.status}.")
    endpoint = discover_endpoints(page).webmention
    if not endpoint:
        detail = "Their page advertises no Webmention endpoint."
        if page.status >= 400:
            detail = f"Their page answered {page.status} and advertises no Webmention endpoint."
        return Outcome(State.SKIPPED, detail, by_hand=True)
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
        return _fetch_failed(exc, f"Sending the Webmention to {endpoint} failed")
    said = answer.text.strip()
    if 200 <= answer.status < 300:
        location = answer.headers.get("location", "")
        detail = f"Accepted by {endpoint} ({answer.status})"
        if location:
            detail += f", status at {location}"
        return Outcome(State.SENT, _short(f"{detail}. {said}".strip()))
    if _retryable(answer.status):
        return Outcome(State.FAILED, _short(f"{endpoint} answered {answer.status}. {said}"))
    return Outcome(
        State.GAVE_UP, _short(f"{endpoint} refused it ({answer.status}). {said}"), by_hand=True
    )


def _send_webmention(notice: Notice, run: _Run) -> Outcome:
    return send_webmention(notice.recipient, run.source_url)


SENDERS: dict[str, Callable[[Notice, _Run], Outcome]] = {
    Channel.EMAIL: _send_email,
    Channel.THREAD_REPLY: _send_thread_reply,
    Channel.WEBMENTION: _send_webmention,
}


# --- the log ------------------------------------------------------------------------------


def _create_rows(change: StatusChange, recipients) -> None:
    Notice.objects.bulk_create(
        [
            Notice(
                idea_id=change.idea_id,
                status_change=change,
                channel=r.channel,
                recipient=r.recipient,
                user_id=r.user_id,
                mention_id=r.mention_id,
            )
            for r in recipients
        ],
        ignore_conflicts=True,  # already planned by an earlier run: one row, ever
    )


def _claim(notice: Notice, now: datetime) -> bool:
    """Take the notice for this run; False if another run has it or it is settled."""
    stale = now - STALE_CLAIM
    claimable = Q(state__in=SENDABLE) | Q(state=State.SENDING, attempted_at__lt=stale)
    taken = (
        Notice.objects.filter(claimable, pk=notice.pk, attempts=notice.attempts)
        .exclude(channel=Channel.BY_HAND)
        .update(state=State.SENDING, attempts=F("attempts") + 1, attempted_at=now)
    )
    if taken:
        notice.attempts += 1
        notice.state, notice.attempted_at = State.SENDING, now
    return bool(taken)


def _record(notice: Notice, outcome: Outcome, now: datetime) -> None:
    notice.state = outcome.state
    notice.detail = outcome.detail
    if outcome.state == State.FAILED and notice.attempts >= MAX_ATTEMPTS:
        notice.state = State.GAVE_UP
        notice.detail = _short(f"{outcome.detail} Gave up after {notice.attempts} attempts.")
        outcome.by_hand = notice.channel != Channel.EMAIL
    if notice.state == State.SENT:
        notice.sent_at = now
    notice.save(update_fields=["state", "detail", "sent_at"])
    if outcome.by_hand and notice.mention_id is not None:
        recipient = Recipient(
            Channel.BY_HAND, mention_key(notice.mention_id), mention_id=notice.mention_id
        )
        _create_rows(notice.status_change, [recipient])


def _interrupted_email(notice: Notice, now: datetime) -> bool:
    """An email claimed by a run that never recorded it may have gone out: never again."""
    if notice.channel != Channel.EMAIL or notice.state != State.SENDING:
        return False
    settled = Notice.objects.filter(
        pk=notice.pk, state=State.SENDING, attempted_at__lt=now - STALE_CLAIM
    ).update(
        state=State.GAVE_UP,
        detail="Interrupted while sending: it may have gone out, so it is not sent again.",
    )
    return bool(settled)


def _attempt(notice: Notice, run: _Run, now: datetime) -> None:
    if _interrupted_email(notice, now) or not _claim(notice, now):
        return
    sender = SENDERS[notice.channel]
    if notice.channel == Channel.THREAD_REPLY:
        # Publish and record together: a crash or an error leaves neither.
        try:
            with transaction.atomic():
                outcome = sender(notice, run)
                _record(notice, outcome, now)
            return
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the next run
            notice.refresh_from_db(fields=["state", "detail", "sent_at"])
            outcome = Outcome(State.FAILED, _short(f"{type(exc).__name__}: {exc}"))
    else:
        try:
            outcome = sender(notice, run)
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the next run
            outcome = Outcome(State.FAILED, _short(f"{type(exc).__name__}: {exc}"))
    _record(notice, outcome, now)


def due_notices(change: StatusChange, now: datetime):
    stale = now - STALE_CLAIM
    return (
        Notice.objects.filter(status_change=change)
        .exclude(channel=Channel.BY_HAND)
        .filter(Q(state__in=SENDABLE) | Q(state=State.SENDING, attempted_at__lt=stale))
        .select_related("status_change")
        .order_by("id")
    )


def send_notices(change: StatusChange, now: datetime | None = None) -> list[Notice]:
    """Plan, log and send every notice of `change` not yet sent; return all its notices.

    Idempotent: run it as often as you like, each person hears once per channel."""
    now = now or timezone.now()
    change = StatusChange.objects.select_related("idea", "to_status", "from_status", "by").get(
        pk=change.pk
    )
    _create_rows(change, plan_notices(change))
    run = _Run(change)
    try:
        for notice in due_notices(change, now):
            notice.status_change = change
            _attempt(notice, run, now)
    finally:
        run.drop_connection()
    return list(Notice.objects.filter(status_change=change).order_by("id"))


def summary(notices: list[Notice]) -> dict[str, dict[str, int]]:
    """{channel: {state: count}} for a task's result or a log line."""
    counts: dict[str, dict[str, int]] = {}
    for notice in notices:
        by_state = counts.setdefault(notice.channel, {})
        by_state[notice.state] = by_state.get(notice.state, 0) + 1
    return counts


# --- staff --------------------------------------------------------------------------------


class NoticeError(ValueError):
    """The notice cannot be changed so; the message says why."""


def mark_answered(notice: Notice, user, now: datetime | None = None) -> Notice:
    """Staff answered a "by hand" notice themselves."""
    from ..permissions import can_manage

    if not can_manage(user):
        raise NoticeError("Only staff who manage ideas can mark notices answered.")
    if notice.channel != Channel.BY_HAND:
        raise NoticeError("Only notices for staff to answer by hand are marked answered.")
    now = now or timezone.now()
    updated = Notice.objects.filter(pk=notice.pk, state=State.PENDING).update(
        state=State.ANSWERED, sent_at=now, detail=_short(f"Answered by {user.get_username()}.")
    )
    notice.refresh_from_db()
    if not updated and notice.state != State.ANSWERED:
        raise NoticeError("This notice is not waiting for an answer.")
    return notice


def retry_delay(attempts: int) -> timedelta:
    """How long the worker waits before running a change again after a failed attempt."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


def changes_to_retry(now: datetime | None = None) -> list[int]:
    """The status changes with a failed notice whose back-off has passed, or a claim a
    crashed run left behind."""
    now = now or timezone.now()
    ids = set()
    rows = Notice.objects.filter(
        Q(state=State.FAILED) | Q(state=State.SENDING, attempted_at__lt=now - STALE_CLAIM)
    ).values_list("status_change_id", "state", "attempts", "attempted_at")
    for change_id, state, attempts, attempted_at in rows.iterator():
        stuck = state == State.SENDING or attempted_at is None
        if stuck or attempted_at + retry_delay(attempts) <= now:
            ids.add(change_id)
    return sorted(ids)
