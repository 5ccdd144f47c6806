"""Board mail: the status-change notice to voters and followers, and its unsubscribe links.

Every notice carries two signed links (django.core.signing.Signer with this module's salt:
the same link for the same person and idea, no expiry, no state on the server): "no more
mail about this idea" and "no more mail from the ideas board". The second is also the
message's RFC 8058 one-click address: `List-Unsubscribe: <https://...>` with
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`, so a mail program's own "Unsubscribe"
button POSTs it without opening a page. A GET of either link only shows a
confirmation page (link scanners fetch every URL in a message; they must not unsubscribe
anyone); the POST does it.

Unsubscribing from one idea also stops following it; following it again later (a Follow
made after the unsubscribe) brings its mail back. Unsubscribing from all board mail holds
until the person undoes it from the same link. An unsubscribe from an idea that was later
merged counts for the idea it was merged into.
"""

from __future__ import annotations

import zlib
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Follow, Idea, Notice, StatusChange, Unsubscribe
from .river_link import absolute

SALT = "earful.board.unsubscribe"
ALL = 0  # the idea number a token carries for "all board mail"


class BadToken(ValueError):
    """The unsubscribe link was not made here, or was changed."""


# --- the signed links ---------------------------------------------------------------------


def unsubscribe_token(user, idea: Idea | None = None) -> str:
    return signing.Signer(salt=SALT).sign_object([user.pk, idea.pk if idea is not None else ALL])


def read_token(token: str) -> tuple[int, int | None]:
    """(user id, idea id or None for all board mail); BadToken if forged or damaged."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, zlib.error) as exc:
        raise BadToken("This unsubscribe link is not valid.") from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in value)
    ):
        raise BadToken("This unsubscribe link is not valid.")
    user_id, idea_id = value
    return user_id, (idea_id or None)


def unsubscribe_url(user, idea: Idea | None = None) -> str:
    return absolute(reverse("board:unsubscribe", args=[unsubscribe_token(user, idea)]))


# --- unsubscribing ------------------------------------------------------------------------


def unsubscribe(user, idea: Idea | None = None, now=None) -> Unsubscribe:
    """No more board mail for `user` about `idea` (or, idea None, about any idea).
    Idempotent; unsubscribing from an idea again moves its time forward."""
    now = now or timezone.now()
    with transaction.atomic():
        if idea is None:
            try:
                with transaction.atomic():
                    row, _ = Unsubscribe.objects.get_or_create(
                        user=user, idea=None, defaults={"created_at": now}
                    )
            except IntegrityError:  # a second click at the same moment
                row = Unsubscribe.objects.get(user=user, idea=None)
            return row
        Follow.objects.filter(idea=idea, user=user).delete()
        row, _ = Unsubscribe.objects.update_or_create(
            user=user, idea=idea, defaults={"created_at": now}
        )
    return row


def resubscribe(user, idea: Idea | None = None) -> bool:
    """Undo an unsubscribe (the same link's "changed my mind"); True if there was one."""
    deleted, _ = Unsubscribe.objects.filter(user=user, idea=idea).delete()
    if deleted and idea is not None and idea.merged_into_id is None:
        Follow.objects.get_or_create(idea=idea, user=user)
    return bool(deleted)


def blocked_user_ids(idea: Idea, user_ids) -> set[int]:
    """Which of `user_ids` (ids or a values("pk") queryset) want no mail about `idea`."""
    rows = Unsubscribe.objects.filter(user_id__in=user_ids).filter(
        Q(idea__isnull=True) | Q(idea=idea) | Q(idea__merged_into=idea)
    )
    unsubscribes = list(rows.values_list("user_id", "idea_id", "created_at"))
    if not unsubscribes:
        return set()
    followed = dict(
        Follow.objects.filter(
            idea=idea, user_id__in={user_id for user_id, _, _ in unsubscribes}
        ).values_list("user_id", "created_at")
    )
    blocked = set()
    for user_id, idea_id, at in unsubscribes:
        # From all board mail; or from this idea and not followed again since.
        if idea_id is None or followed.get(user_id) is None or followed[user_id] <= at:
            blocked.add(user_id)
    return blocked


def is_unsubscribed(user, idea: Idea) -> bool:
    return user.pk in blocked_user_ids(idea, [user.pk])


# --- the message --------------------------------------------------------------------------


def _mail_host() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    host = address.rpartition("@")[2]
    return host or urlsplit(settings.EARFUL_SITE_URL).hostname or "localhost"


def mail_context(change: StatusChange, entry_url: str) -> dict:
    """What every notice about `change` says, whoever it goes to."""
    idea = change.idea
    return {
        "idea": idea,
        "change": change,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "done": change.to_status.kind == change.to_status.Kind.CLOSED_DONE,
        "idea_url": absolute(idea.get_absolute_url()),
        "entry_url": entry_url,
        "site_url": settings.EARFUL_SITE_URL,
    }


def status_message(
    context: dict, user, address: str, notice: Notice | None = None, connection=None
) -> EmailMultiAlternatives:
    """The notice to one person: plain text and HTML, with both unsubscribe links and the
    RFC 8058 headers. A notice's Message-ID is fixed by its row, so a copy that did get out
    twice is one message to the mail programs that deduplicate."""
    idea = context["idea"]
    per_person = {
        **context,
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "voted": idea.votes.filter(user=user).exists(),
        "unsubscribe_idea_url": unsubscribe_url(user, idea),
        "unsubscribe_all_url": unsubscribe_url(user),
    }
    subject = " ".join(render_to_string("board/notify/status_subject.txt", per_person).split())
    text = render_to_string("board/notify/status_email.txt", per_person)
    html = render_to_string("board/notify/status_email.html", per_person)
    host = _mail_host()
    headers = {
        "List-Unsubscribe": f"<{per_person['unsubscribe_all_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Ideas board <ideas.{host}>",
        "Auto-Submitted": "auto-generated",
    }
    if notice is not None and notice.pk:
        headers["Message-ID"] = f"<board-notice-{notice.pk}@{host}>"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def user_for_notice(notice: Notice):
    if notice.user_id is None:
        return None
    return get_user_model().objects.filter(pk=notice.user_id, is_active=True).first()
