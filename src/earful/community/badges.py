"""Badges earned by rules, awarded by the worker (tasks.award_badges_task) and by
`earful community badges`.

A Badge row names its rule (Badge.rule, a key of RULES) and the threshold the rule
checks. Each rule answers, in one query, the ids of every user who meets the threshold
now; award_badges() gives each active badge to those of them who do not hold it yet.
Awards are kept once given (a badge is a record of something done, as on Stack
Overflow), and the unique constraint on (badge, user) makes awarding twice, or from two
workers at once, a no-op.

Only what everyone can see counts: published questions and answers, approved reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from .models import (
    AmbassadorReport,
    Answer,
    Badge,
    BadgeAward,
    Decision,
    Member,
    Question,
    State,
    Vote,
)

log = logging.getLogger("earful.community")

# A rule takes the badge's threshold and the ids of its holders (a subquery), and returns
# one query of the ids of every other user who meets the threshold now.
Rule = Callable[[int, QuerySet], QuerySet]


def _at_least(rows: QuerySet, user_field: str, threshold: int, held: QuerySet) -> QuerySet:
    """Ids (from user_field) that appear at least `threshold` times in rows."""
    return (
        rows.filter(**{f"{user_field}__isnull": False})
        .exclude(**{f"{user_field}__in": held})
        .values(user_field)
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .values_list(user_field, flat=True)
    )


def _any_with(rows: QuerySet, user_field: str, held: QuerySet) -> QuerySet:
    return (
        rows.filter(**{f"{user_field}__isnull": False})
        .exclude(**{f"{user_field}__in": held})
        .values_list(user_field, flat=True)
        .distinct()
    )


def questions_asked(threshold: int, held: QuerySet) -> QuerySet:
    return _at_least(Question.objects.filter(state=State.PUBLISHED), "author", threshold, held)


def answers_written(threshold: int, held: QuerySet) -> QuerySet:
    return _at_least(Answer.objects.filter(state=State.PUBLISHED), "author", threshold, held)


def answers_accepted(threshold: int, held: QuerySet) -> QuerySet:
    accepted = Answer.objects.filter(state=State.PUBLISHED, is_accepted=True)
    return _at_least(accepted, "author", threshold, held)


def answer_score(threshold: int, held: QuerySet) -> QuerySet:
    scored = Answer.objects.filter(state=State.PUBLISHED, score__gte=threshold)
    return _any_with(scored, "author", held)


def question_score(threshold: int, held: QuerySet) -> QuerySet:
    scored = Question.objects.filter(state=State.PUBLISHED, score__gte=threshold)
    return _any_with(scored, "author", held)


def votes_cast(threshold: int, held: QuerySet) -> QuerySet:
    return _at_least(Vote.objects.all(), "user", threshold, held)


def reports_approved(threshold: int, held: QuerySet) -> QuerySet:
    approved = AmbassadorReport.objects.filter(state=Decision.APPROVED)
    return _at_least(approved, "user", threshold, held)


def level_reached(threshold: int, held: QuerySet) -> QuerySet:
    return _any_with(Member.objects.filter(level__gte=threshold), "user", held)


RULES: dict[str, Rule] = {
    "questions_asked": questions_asked,
    "answers_written": answers_written,
    "answers_accepted": answers_accepted,
    "answer_score": answer_score,
    "question_score": question_score,
    "votes_cast": votes_cast,
    "reports_approved": reports_approved,
    "level_reached": level_reached,
}


@dataclass
class Awarded:
    """What one round of awarding did: new awards per badge slug, and badges whose rule
    this version does not know (set in the admin by mistake)."""

    new: dict[str, int] = field(default_factory=dict)
    unknown_rules: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.new.values())


def award_badges(now=None) -> Awarded:
    """Give every active badge to the users who meet its rule and do not hold it yet."""
    now = now or timezone.now()
    result = Awarded()
    for badge in Badge.objects.filter(active=True).order_by("pk"):
        rule = RULES.get(badge.rule)
        if rule is None:
            log.warning("badge %r has an unknown rule %r", badge.slug, badge.rule)
            result.unknown_rules.append(badge.slug)
            continue
        holders = BadgeAward.objects.filter(badge=badge).values("user_id")
        due = list(rule(badge.threshold, holders))
        if due:
            BadgeAward.objects.bulk_create(
                [BadgeAward(badge=badge, user_id=user_id, awarded_at=now) for user_id in due],
                ignore_conflicts=True,  # another worker gave some of them a moment ago
            )
            result.new[badge.slug] = len(due)
    return result


def badges_of(user) -> list[BadgeAward]:
    """The user's awards, newest first, with their badges."""
    return list(BadgeAward.objects.filter(user=user).select_related("badge"))
