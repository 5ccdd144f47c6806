"""The ambassadors' weekly tally: approved reports per ambassador in one ISO week, and
the winner of the week.

A report counts in the week staff approved it (decided_at), not the week the ambassador
says it happened (happened_on). happened_on is the ambassador's word and may lie weeks
back: counting by it would let a report approved on Monday change the result of a week
that was already announced. decided_at is when the report counted (its points were
credited then), it is set by the house, and once a week is over its tally only changes
if staff withdraw a report.

The winner has the most approved reports; a tie goes to whoever reached their count
first (the earliest last approval).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from .models import AmbassadorReport, Decision

WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
# Year 1 and year 9999 are named but not shown: the page links the week before and after,
# and a week's bounds in the site's time zone must stay inside what datetime can hold.
FIRST_YEAR, LAST_YEAR = 2, 9998


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def bounds(self) -> tuple[datetime, datetime]:
        """Monday 00:00 to the next Monday 00:00, in the site's time zone."""
        start = timezone.make_aware(datetime.combine(self.monday, time.min))
        return start, timezone.make_aware(datetime.combine(self.monday + timedelta(7), time.min))

    def shifted(self, weeks: int) -> IsoWeek:
        return of_day(self.monday + timedelta(weeks=weeks))


def of_day(day: date) -> IsoWeek:
    year, week, _ = day.isocalendar()
    return IsoWeek(year, week)


def parse_week(value: str | None) -> IsoWeek:
    """The week "2026-W47" names (this week when empty); ValueError when it names none."""
    if not value:
        return of_day(timezone.localdate())
    match = WEEK.match(value.strip())
    if not match:
        raise ValueError("Name the week as YYYY-Www, for example 2026-W47.")
    year, week = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Name a week between the years {FIRST_YEAR} and {LAST_YEAR}.")
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}.") from None
    return IsoWeek(year, week)


@dataclass(frozen=True)
class TallyRow:
    user_id: int
    username: str
    reports: int
    last_approved: datetime


def tally(week: IsoWeek) -> list[TallyRow]:
    """Ambassadors with approved reports that week, the winner first."""
    start, end = week.bounds()
    rows = (
        AmbassadorReport.objects.filter(
            state=Decision.APPROVED, decided_at__gte=start, decided_at__lt=end
        )
        .values("user_id", "user__username")
        .annotate(reports=Count("id"), last_approved=Max("decided_at"))
        .order_by("-reports", "last_approved", "user_id")
    )
    return [
        TallyRow(r["user_id"], r["user__username"], r["reports"], r["last_approved"]) for r in rows
    ]


def is_over(week: IsoWeek) -> bool:
    return week.bounds()[1] <= timezone.now()
