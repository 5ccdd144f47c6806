"""Background work of the community, run by `earful worker`: awarding badges.

Badges are awarded in rounds rather than on each vote or answer: a round is a handful of
grouped queries whatever happened since, and keeps the writes of the pages short."""

from __future__ import annotations

import time

from django_tasks import task

BADGES_EVERY_SECONDS = 600

_last_badges = 0.0


@task()
def award_badges_task() -> dict:
    from .badges import award_badges

    awarded = award_badges()
    return {"awarded": awarded.new, "unknown_rules": awarded.unknown_rules}


def enqueue_community_work(force: bool = False) -> dict:
    """What the worker's scheduler does for the community on each round: queue a badge
    round every BADGES_EVERY_SECONDS (at once with `force`, as `earful worker --once`)."""
    global _last_badges
    due = force or not _last_badges or time.monotonic() - _last_badges >= BADGES_EVERY_SECONDS
    if due:
        _last_badges = time.monotonic()
        award_badges_task.enqueue()
    return {"badges_queued": due}
