"""The reputation ledger: every point a member has is a line in ReputationEvent.

Rules of the ledger:
- Each line has a `key` naming its cause ("vote:41:answer"), unique in the table, so a
  cause is credited once however many requests race (the second insert fails).
- Lines are never changed or deleted. A withdrawn cause adds a REVERSAL line for exactly
  the points its line credited (after the cap), pointing at it; a line is reversed once.
- Positive points of capped kinds (votes, helpful flags) stop at the daily cap
  (EARFUL_COMMUNITY_DAILY_CAP) of the member's local day; a reversal of a capped line
  gives its room back.
- Member.points and Member.level move in the same transaction as the line, with the
  member's row locked, so concurrent awards to one member serialise.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from ..defaults import POINTS
from ..models import EventKind, Level, Member, PointRule, ReputationEvent


def member_of(user) -> Member:
    member, _ = Member.objects.get_or_create(user=user)
    return member


def rule(kind: str) -> tuple[int, bool]:
    """(points, capped) for an event kind: the admin's rule, else the default."""
    row = PointRule.objects.filter(kind=kind).values_list("points", "capped").first()
    if row is not None:
        return row
    if kind not in POINTS:
        raise ValueError(f"no points rule for {kind!r}")
    return POINTS[kind]


def level_for(points: int) -> int:
    number = (
        Level.objects.filter(threshold__lte=points)
        .order_by("-threshold")
        .values_list("number", flat=True)
        .first()
    )
    return number or 0


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    day = timezone.localtime(moment).date()
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _earned_today(user_id: int, moment: datetime) -> int:
    start, end = _day_bounds(moment)
    total = ReputationEvent.objects.filter(
        user_id=user_id, toward_cap=True, created_at__gte=start, created_at__lt=end
    ).aggregate(total=Sum("points"))["total"]
    return total or 0


def _locked_member(user) -> Member:
    member_of(user)
    return Member.objects.select_for_update().get(user=user)


def _credit(member: Member, points: int) -> None:
    if points:
        Member.objects.filter(pk=member.pk).update(points=F("points") + points)
        member.refresh_from_db(fields=["points"])
        level = level_for(member.points)
        if level != member.level:
            Member.objects.filter(pk=member.pk).update(level=level)
            member.level = level


def award(
    user,
    kind: str,
    key: str,
    *,
    actor=None,
    question=None,
    answer=None,
    note: str = "",
) -> ReputationEvent | None:
    """Credit the event's points to the user; None if this cause was already credited."""
    if kind == EventKind.REVERSAL:
        raise ValueError("reversals are made by reverse()")
    points, capped = rule(kind)
    now = timezone.now()
    with transaction.atomic():
        member = _locked_member(user)
        if ReputationEvent.objects.filter(key=key).exists():
            return None
        credited = points
        toward_cap = capped and points > 0
        if toward_cap:
            room = settings.EARFUL_COMMUNITY_DAILY_CAP - _earned_today(user.pk, now)
            credited = max(0, min(points, room))
        try:
            with transaction.atomic():
                event = ReputationEvent.objects.create(
                    user=user,
                    kind=kind,
                    points=credited,
                    rule_points=points,
                    toward_cap=toward_cap,
                    key=key,
                    actor=actor,
                    question=question,
                    answer=answer,
                    note=note,
                    created_at=now,
                )
        except IntegrityError:
            return None
        _credit(member, credited)
    return event


def reverse(key: str, *, actor=None, note: str = "") -> ReputationEvent | None:
    """Cancel the line credited for this cause; None if there is none or it was cancelled."""
    with transaction.atomic():
        original = ReputationEvent.objects.filter(key=key).select_related("user").first()
        if original is None:
            return None
        member = _locked_member(original.user)
        if ReputationEvent.objects.filter(reverses=original).exists():
            return None
        try:
            with transaction.atomic():
                event = ReputationEvent.objects.create(
                    user=original.user,
                    kind=EventKind.REVERSAL,
                    points=-original.points,
                    rule_points=-original.rule_points,
                    # room under the cap comes back on the day it was used
                    toward_cap=original.toward_cap
                    and _day_bounds(original.created_at) == _day_bounds(timezone.now()),
                    key=f"reversal:{original.pk}",
                    reverses=original,
                    actor=actor,
                    question_id=original.question_id,
                    answer_id=original.answer_id,
                    note=note or f"reverses: {original.get_kind_display()}",
                )
        except IntegrityError:
            return None
        _credit(member, event.points)
    return event


def adjust(user, points: int, *, actor, note: str) -> ReputationEvent:
    """A staff correction, with the reason on the line."""
    note = note.strip()
    if not note:
        raise ValueError("say why the points change")
    if not points:
        raise ValueError("an adjustment changes the points by at least one")
    with transaction.atomic():
        member = _locked_member(user)
        event = ReputationEvent.objects.create(
            user=user,
            kind=EventKind.ADJUSTMENT,
            points=points,
            rule_points=points,
            key=f"adjustment:{uuid.uuid4().hex}",
            actor=actor,
            note=note[:300],
        )
        _credit(member, points)
    return event


def recount(user) -> tuple[int, int]:
    """Set the member's points and level from the ledger; (points before, points after)."""
    with transaction.atomic():
        member = _locked_member(user)
        before = member.points
        total = (
            ReputationEvent.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0
        )
        Member.objects.filter(pk=member.pk).update(points=total, level=level_for(total))
    return before, total


def privileges(user) -> frozenset[str]:
    """What the user's level unlocks (cumulative); staff who run the community hold all."""
    from ..permissions import can_manage

    if can_manage(user):
        return frozenset(Level.Privilege.values)
    if not (user and user.is_authenticated):
        return frozenset()
    level = Member.objects.filter(user=user).values_list("level", flat=True).first() or 0
    held: set[str] = set()
    for granted in Level.objects.filter(number__lte=level).values_list("privileges", flat=True):
        held.update(granted)
    return frozenset(held)


def has_privilege(user, privilege: str) -> bool:
    return privilege in privileges(user)
