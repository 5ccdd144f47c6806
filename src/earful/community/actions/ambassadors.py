"""The ambassador program: members apply, staff approve or reject; ambassadors report the
word of mouth they spread offline (where, to whom, what was said, about which product,
with an optional photo); staff approve a report (the ambassador earns the ledger's
REPORT_APPROVED points, key "report:<id>", and the report enters the river as an owned
Community mention) or reject it with a reason the ambassador sees. An approved report
can be withdrawn: its points are reversed and it leaves the river. Every decision is
logged in the ModerationLog.

Report photos go through the blog's photo checks (earful.blog.photos.prepare_photo:
format allow-list, size and pixel caps before decoding, decompression bombs refused,
EXIF orientation applied, metadata stripped); reports take stills in JPEG, PNG or WebP
and keep one copy at most PHOTO_WIDTH pixels wide.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import UnidentifiedImageError

from earful.blog.photos import PhotoError, prepare_photo

from .. import river_link
from ..errors import CommunityError, Conflict, NotAllowed
from ..models import (
    AmbassadorApplication,
    AmbassadorReport,
    Category,
    Decision,
    EventKind,
    Member,
)
from ..permissions import can_manage, is_signed_in
from . import reputation
from .moderation import log

MIN_MOTIVATION, MAX_MOTIVATION = 30, 3000
MAX_PLACE = MAX_AUDIENCE = 200
MIN_SAID, MAX_SAID = 20, 5000
MAX_REASON = 500
OLDEST_REPORT_DAYS = 366  # word of mouth from more than a year ago is not news
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
# (offset, bytes) that open each format taken: JPEG's SOI marker, PNG's signature, and
# WebP's "WEBP" tag after its RIFF size (the decoder then checks the rest)
PHOTO_SIGNATURES = ((0, b"\xff\xd8\xff"), (0, b"\x89PNG\r\n\x1a\n"), (8, b"WEBP"))
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_WIDTH = 1600  # the widest copy kept; the blog's renditions include this width


def _text(value: str, what: str, minimum: int, maximum: int, *, one_line: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if one_line:
        value = " ".join(value.split())
    if not value:
        raise CommunityError(f"The {what} is empty.")
    if len(value) < minimum:
        raise CommunityError(f"The {what} is at least {minimum} characters.")
    if len(value) > maximum:
        raise CommunityError(f"The {what} is at most {maximum:,} characters.")
    return value


def _staff(user, what: str) -> None:
    if not can_manage(user):
        raise NotAllowed(f"Only staff who run the community {what}.")


def _reason(reason: str, required: bool) -> str:
    reason = " ".join((reason or "").replace("\x00", "").split())
    if required and not reason:
        raise CommunityError("Give a reason; the member sees it.")
    if len(reason) > MAX_REASON:
        raise CommunityError(f"The reason is at most {MAX_REASON} characters.")
    return reason


# -- applications ------------------------------------------------------------------------


def status_of(user) -> str:
    """ "ambassador", "pending" or "" for what the member is in the program."""
    if not is_signed_in(user):
        return ""
    if Member.objects.filter(user=user, is_ambassador=True).exists():
        return "ambassador"
    if AmbassadorApplication.objects.filter(user=user, state=Decision.PENDING).exists():
        return "pending"
    return ""


def apply(user, motivation: str) -> AmbassadorApplication:
    """A member asks to join the program; one pending application at a time."""
    if not is_signed_in(user):
        raise NotAllowed("Sign in to apply.")
    member = reputation.member_of(user)
    if member.is_suspended:
        raise NotAllowed("Suspended members cannot apply.")
    if member.is_ambassador:
        raise Conflict("You are already an ambassador.")
    motivation = _text(motivation, "motivation", MIN_MOTIVATION, MAX_MOTIVATION)
    try:
        with transaction.atomic():
            return AmbassadorApplication.objects.create(user=user, motivation=motivation)
    except IntegrityError:
        raise Conflict("Your application is waiting for staff; you will hear from us.") from None


def decide_application(
    application: AmbassadorApplication, actor, approve: bool, reason: str = ""
) -> AmbassadorApplication:
    """Staff let the member in (Member.is_ambassador) or say why not."""
    _staff(actor, "decide on applications")
    if application.user_id == actor.pk:
        raise NotAllowed("You cannot decide on your own application.")
    reason = _reason(reason, required=not approve)
    state = Decision.APPROVED if approve else Decision.REJECTED
    now = timezone.now()
    with transaction.atomic():
        decided = AmbassadorApplication.objects.filter(
            pk=application.pk, state=Decision.PENDING
        ).update(state=state, reason=reason, decided_by=actor, decided_at=now)
        if not decided:
            raise Conflict("This application was already decided.")
        if approve:
            member = reputation.member_of(application.user)
            Member.objects.filter(pk=member.pk).update(is_ambassador=True)
        name = application.user.get_username()
        log(actor, f"application_{state}", f"application:{application.pk}", name, reason)
    application.state, application.reason = state, reason
    application.decided_by, application.decided_at = actor, now
    return application


def end_ambassadorship(user, actor, reason: str) -> None:
    """Staff take the ambassador role back (their approved reports stay)."""
    _staff(actor, "end an ambassadorship")
    reason = _reason(reason, required=True)
    if not Member.objects.filter(user=user, is_ambassador=True).update(is_ambassador=False):
        raise Conflict(f"{user.get_username()} is not an ambassador.")
    log(actor, "ambassador_ended", f"user:{user.pk}", user.get_username(), reason)


# -- reports -----------------------------------------------------------------------------


def _read(file) -> bytes:
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > PHOTO_MAX_BYTES:
        raise PhotoError(f"The photo is {size / 1048576:.1f} MB; at most 10 MB are taken.")
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    data = file.read(PHOTO_MAX_BYTES + 1)
    if not isinstance(data, bytes):
        raise PhotoError("The upload is not a file.")
    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoError("The photo is more than 10 MB.")
    return data


def _matches(data: bytes, signature: tuple[int, bytes]) -> bool:
    offset, magic = signature
    return data[offset : offset + len(magic)] == magic


def prepare_report_photo(file) -> tuple[bytes, str]:
    """The cleaned photo's bytes and file extension, or PhotoError saying why not."""
    data = _read(file)
    if not data:
        raise PhotoError("The file is empty.")
    # The file's signature tells the format: GIFs and anything else are refused here,
    # before the blog's checks open anything.
    if not any(_matches(data, signature) for signature in PHOTO_SIGNATURES):
        raise PhotoError("The photo must be a JPEG, PNG or WebP image.")
    try:
        prepared = prepare_photo(data)
    except PhotoError as exc:
        if isinstance(exc.__cause__, UnidentifiedImageError):  # the blog's message names GIF
            raise PhotoError("The photo must be a JPEG, PNG or WebP image.") from exc
        raise
    if prepared.original.format not in PHOTO_FORMATS:
        raise PhotoError("The photo must be a JPEG, PNG or WebP image.")
    if prepared.animated:
        raise PhotoError("The photo must be a still image, not an animation.")
    chosen = prepared.original
    if chosen.width > PHOTO_WIDTH:
        chosen = [r for r in prepared.renditions if r.width <= PHOTO_WIDTH][-1]
    return chosen.content, chosen.extension


def _happened_on(value) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise CommunityError("Give the day it happened as YYYY-MM-DD.") from None
    today = timezone.localdate()
    if value > today:
        raise CommunityError("The day it happened cannot be in the future.")
    if value < today - timedelta(days=OLDEST_REPORT_DAYS):
        raise CommunityError("Reports are for word of mouth from the last twelve months.")
    return value


def submit_report(
    user,
    *,
    place: str,
    audience: str,
    said: str,
    product: Category | None,
    happened_on,
    photo=None,
) -> AmbassadorReport:
    """An ambassador's report; it waits for staff."""
    if not is_signed_in(user):
        raise NotAllowed("Sign in to report.")
    member = reputation.member_of(user)
    if not member.is_ambassador:
        raise NotAllowed("Only ambassadors submit reports; apply to join the program first.")
    if member.is_suspended:
        raise NotAllowed("Suspended members cannot submit reports.")
    place = _text(place, "place", 2, MAX_PLACE, one_line=True)
    audience = _text(audience, "audience", 2, MAX_AUDIENCE, one_line=True)
    said = _text(said, "account of what was said", MIN_SAID, MAX_SAID)
    if product is None or not Category.objects.filter(pk=product.pk).exists():
        raise CommunityError("Choose the product the talk was about.")
    day = _happened_on(happened_on)
    report = AmbassadorReport(
        user=user, place=place, audience=audience, said=said, product=product, happened_on=day
    )
    if photo:
        try:
            content, extension = prepare_report_photo(photo)
        except PhotoError as exc:
            raise CommunityError(str(exc)) from None
        report.photo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    try:
        report.save()
    except BaseException:
        if report.photo:
            with contextlib.suppress(OSError):
                report.photo.storage.delete(report.photo.name)
        raise
    return report


def decide_report(
    report: AmbassadorReport, actor, approve: bool, reason: str = ""
) -> AmbassadorReport:
    """Staff approve (points and the river) or reject (with a reason) a pending report."""
    _staff(actor, "decide on reports")
    if report.user_id == actor.pk:
        raise NotAllowed("You cannot decide on your own report.")
    reason = _reason(reason, required=not approve)
    state = Decision.APPROVED if approve else Decision.REJECTED
    now = timezone.now()
    with transaction.atomic():
        decided = AmbassadorReport.objects.filter(pk=report.pk, state=Decision.PENDING).update(
            state=state, reason=reason, decided_by=actor, decided_at=now
        )
        if not decided:
            raise Conflict("This report was already decided.")
        report.state, report.reason = state, reason
        report.decided_by, report.decided_at = actor, now
        if approve:
            reputation.award(
                report.user,
                EventKind.REPORT_APPROVED,
                f"report:{report.pk}",
                actor=actor,
                note=f"report {report.pk}: {report.place}"[:300],
            )
        log(actor, f"report_{state}", f"report:{report.pk}", report.place, reason)
    if approve:
        river_link.report_entered(report)
    return report


def withdraw_report(report: AmbassadorReport, actor, reason: str) -> AmbassadorReport:
    """Take back an approved report: it becomes rejected with the reason, its points are
    reversed and its mention leaves the river."""
    _staff(actor, "withdraw reports")
    reason = _reason(reason, required=True)
    with transaction.atomic():
        withdrawn = AmbassadorReport.objects.filter(pk=report.pk, state=Decision.APPROVED).update(
            state=Decision.REJECTED, reason=reason, decided_by=actor, decided_at=timezone.now()
        )
        if not withdrawn:
            raise Conflict("Only an approved report is withdrawn.")
        report.state, report.reason, report.decided_by = Decision.REJECTED, reason, actor
        reputation.reverse(f"report:{report.pk}", actor=actor, note=f"report withdrawn: {reason}")
        log(actor, "report_withdrawn", f"report:{report.pk}", report.place, reason)
    river_link.withdraw(report)
    return report
