"""Background work of the inbox, run by `earful worker`: checking alert rules, open items
following their authors' reach, and (weekly, when EARFUL_SENTIMENT_LEARN_WEEKLY is on)
learning the sentiment adjustment from people's labels."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django_tasks import task

from . import actions

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 300
LEARN_EVERY_SECONDS = 7 * 24 * 3600
RETRY_LEARNING_SECONDS = 24 * 3600  # when the last try had too few labels, or failed
_last_enqueued = 0.0
_last_learning = 0.0


@task()
def check_alerts_task() -> dict:
    fired = actions.check_alerts()
    return {"fired": [alert.id for alert in fired]}


@task()
def follow_author_reach_task() -> dict:
    return {"changed": actions.follow_author_reach()}


@task()
def learn_sentiment_task() -> dict:
    from . import sentiment_learning

    try:
        return sentiment_learning.learn().as_dict()
    except sentiment_learning.TooFewExamples as error:
        log.info("sentiment learning skipped: %s", error)
        return {"skipped": str(error)}


def enqueue_sentiment_learning(now: float | None = None) -> bool:
    """Queue `learn_sentiment_task` if EARFUL_SENTIMENT_LEARN_WEEKLY is on and the
    adjustment file is missing or a week old, at most once a day per process."""
    global _last_learning
    if not settings.EARFUL_SENTIMENT_LEARN_WEEKLY:
        return False
    monotonic = time.monotonic()
    if _last_learning and monotonic - _last_learning < RETRY_LEARNING_SECONDS:
        return False
    try:
        written = Path(settings.EARFUL_SENTIMENT_ADJUSTMENT).stat().st_mtime
    except (OSError, TypeError):
        written = None
    now = time.time() if now is None else now
    if written is not None and now - written < LEARN_EVERY_SECONDS:
        return False
    _last_learning = monotonic
    learn_sentiment_task.enqueue()
    return True


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
    enqueue_sentiment_learning()
    return True
