"""Background work of the tours, run by `earful worker`: sending the announcements whose
time has come (events/sending.py), retries included."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def send_announcements_task() -> dict:
    from .sending import send_due_announcements

    tried = send_due_announcements()
    return {"tried": {a.pk: a.state for a in tried}}


def enqueue_events_work(now=None) -> dict:
    """What the worker's scheduler does for the tours on each round: queue one sending run
    when an announcement is due. Each announcement is claimed by one worker, so runs queued
    by several schedulers at once send nothing twice."""
    from .sending import due_announcements

    due = due_announcements(now or timezone.now()).exists()
    if due:
        send_announcements_task.enqueue()
    return {"queued": due}
