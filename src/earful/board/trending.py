"""The "trending" order: votes of the last 14 days, a recent vote weighing more.

Scoring every idea from the votes table at each request cost ~470 ms with 10,000 ideas
and 60,000 votes (bench/board_page.py). The score is stored on the idea instead
(Idea.trend_score, indexed): a vote or unvote rescores its idea at once from its own recent
votes (the (idea, created_at) index), and the worker rescores every idea with recent votes
once an hour (`rescore_all`), which lets older votes weigh less as they age. Between two
rounds a score can be up to an hour stale; the order changes slowly anyway.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Idea, Vote

TRENDING_DAYS = 14
# (within days, weight): a vote of the last 2 days counts 4, of the last week 2, else 1.
TRENDING_WEIGHTS = ((2, 4), (7, 2), (TRENDING_DAYS, 1))
RESCORE_EVERY_SECONDS = 3600


def weight(age: timedelta) -> int:
    for days, value in TRENDING_WEIGHTS:
        if age <= timedelta(days=days):
            return value
    return 0


def rescore(idea_id: int, now=None) -> int:
    """Compute and store one idea's score; returns it."""
    now = now or timezone.now()
    since = now - timedelta(days=TRENDING_DAYS)
    recent = Vote.objects.filter(idea_id=idea_id, created_at__gte=since)
    score = sum(weight(now - at) for at in recent.values_list("created_at", flat=True))
    Idea.objects.filter(pk=idea_id).update(trend_score=score)
    return score


def rescore_all(now=None) -> int:
    """Rescore every idea with votes in the window and zero the ones that fell out of it.
    Returns how many ideas changed score."""
    now = now or timezone.now()
    since = now - timedelta(days=TRENDING_DAYS)
    scores: dict[int, int] = defaultdict(int)
    for idea_id, at in Vote.objects.filter(created_at__gte=since).values_list(
        "idea_id", "created_at"
    ):
        scores[idea_id] += weight(now - at)
    changed = 0
    with transaction.atomic():
        stored = dict(Idea.objects.filter(trend_score__gt=0).values_list("id", "trend_score"))
        for idea_id in stored.keys() - scores.keys():
            changed += Idea.objects.filter(pk=idea_id).update(trend_score=0)
        for idea_id, score in scores.items():
            if stored.get(idea_id) != score:
                changed += Idea.objects.filter(pk=idea_id).update(trend_score=score)
    return changed
