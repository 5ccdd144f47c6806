"""Background work of the inbox, run by `earful worker`: checking alert rules, and open
items following their authors' reach."""

from __future__ import annotations

import time

from django_tasks import task

from . import actions

CHECK_EVERY_SECONDS = 300
_last_enqueued = 0.0


@task()
def check_alerts_task() -> dict:
    fired = actions.check_alerts()
    return {"fired": [alert.id for alert in fired]}


@task()
def follow_author_reach_task() -> dict:
    return {"changed": actions.follow_author_reach()}


def enqueue_alert_checks(every: float = CHECK_EVERY_SECONDS) -> bool:
    """Queue the inbox's round (an alert check, then open items taking their authors'
    current reach) if this process has not queued one for `every` seconds. Both are
    idempotent (an alert fires once per rule and bucket), so several workers each
    queueing their own is harmless."""
    global _last_enqueued
    now = time.monotonic()
    if _last_enqueued and now - _last_enqueued < every:
        return False
    _last_enqueued = now
    check_alerts_task.enqueue()
    follow_author_reach_task.enqueue()
    return True
