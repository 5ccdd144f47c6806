"""Leaderboards: who earned the most points this week, this month, or of all time.

A period's standing is the sum of the member's ledger lines dated in it (reversals
included, so a withdrawn vote leaves the week it was cast in); all time is Member.points,
the ledger's whole sum kept on the member row. The period sums read the ledger's
(created_at, user, points) index, never the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone

from .models import Member, ReputationEvent

PERIODS = {"week": "This week", "month": "This month", "all": "All time"}
TOP = 50


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    username: str
    points: int
    level: int


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Monday 00:00 of this week, the 1st of this month (local time), None for all time."""
    today = timezone.localtime(now or timezone.now()).date()
    if period == "week":
        day = today - timedelta(days=today.weekday())
    elif period == "month":
        day = today.replace(day=1)
    else:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _period_sums(start: datetime):
    return (
        ReputationEvent.objects.filter(created_at__gte=start)
        .values("user_id")
        .annotate(total=Sum("points"))
        .filter(total__gt=0)
    )


def top(period: str, limit: int = TOP, now: datetime | None = None) -> list[Standing]:
    """The members with the most points in the period, best first (ties: earlier member
    first); only members with points above zero are ranked."""
    start = period_start(period, now)
    if start is None:
        rows = list(
            Member.objects.filter(points__gt=0)
            .order_by("-points", "user_id")
            .values_list("user_id", "points", "level")[:limit]
        )
    else:
        sums = list(_period_sums(start).order_by("-total", "user_id")[:limit])
        levels = dict(
            Member.objects.filter(user_id__in=[r["user_id"] for r in sums]).values_list(
                "user_id", "level"
            )
        )
        rows = [(r["user_id"], r["total"], levels.get(r["user_id"], 0)) for r in sums]
    names = dict(
        get_user_model()
        .objects.filter(pk__in=[r[0] for r in rows])
        .values_list("pk", get_user_model().USERNAME_FIELD)
    )
    standings = []
    rank = 0
    previous = None
    for position, (user_id, points, level) in enumerate(rows, start=1):
        if points != previous:  # equal points share a rank
            rank, previous = position, points
        standings.append(Standing(rank, user_id, names.get(user_id, "?"), points, level))
    return standings


def rank_of(user, period: str, now: datetime | None = None) -> tuple[int, int] | None:
    """(rank, points) of the user in the period; None when they have no points there."""
    if not (user and user.is_authenticated):
        return None
    start = period_start(period, now)
    if start is None:
        mine = Member.objects.filter(user=user).values_list("points", flat=True).first()
        if not mine or mine <= 0:
            return None
        return Member.objects.filter(points__gt=mine).count() + 1, mine
    mine = (
        ReputationEvent.objects.filter(user=user, created_at__gte=start).aggregate(
            total=Sum("points")
        )["total"]
        or 0
    )
    if mine <= 0:
        return None
    ahead = (
        ReputationEvent.objects.filter(created_at__gte=start)
        .values("user_id")
        .annotate(total=Sum("points"))
        .filter(total__gt=mine)
        .aggregate(n=Count("user_id"))
    )
    return (ahead["n"] or 0) + 1, mine


def period_total(user, period: str, now: datetime | None = None) -> int:
    """The points the user earned in the period (net of reversals)."""
    start = period_start(period, now)
    lines = ReputationEvent.objects.filter(user=user)
    if start is not None:
        lines = lines.filter(created_at__gte=start)
    return lines.aggregate(total=Sum("points"))["total"] or 0
