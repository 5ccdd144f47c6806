"""Background work of the ideas board, run by `earful worker`: the notices a status change
sends (actions/notices.py), and their retries."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task


@task()
def send_notices_task(status_change_id: int) -> dict:
    from .actions.notices import send_notices, summary
    from .models import StatusChange

    change = StatusChange.objects.filter(pk=status_change_id).first()
    if change is None:
        return {"status_change": status_change_id, "missing": True}
    return {"status_change": status_change_id, "notices": summary(send_notices(change))}


def queue_notices(status_change) -> None:
    """Send the change's notices in the worker once the change is committed (change_status
    calls this inside its transaction; a rolled-back change sends nothing)."""
    change_id = status_change.pk
    transaction.on_commit(lambda: send_notices_task.enqueue(change_id))


_last_rescored = 0.0


def enqueue_board_work(now=None) -> dict:
    """What the worker's scheduler does for the board on each round: run again the status
    changes whose failed notices are due for another try (with back-off), and rescore the
    trending order once an hour."""
    global _last_rescored
    from .actions.notices import changes_to_retry
    from .trending import RESCORE_EVERY_SECONDS, rescore_all

    retried = changes_to_retry(now or timezone.now())
    for change_id in retried:
        send_notices_task.enqueue(change_id)
    rescored = None
    if not _last_rescored or time.monotonic() - _last_rescored >= RESCORE_EVERY_SECONDS:
        _last_rescored = time.monotonic()
        rescored = rescore_all(now)
    return {"retried": retried, "rescored": rescored}
