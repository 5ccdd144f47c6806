"""Background work of the river, run by `earful worker` (django-tasks, database backend)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from . import actions
from .models import Source

log = logging.getLogger(__name__)


@task()
def poll_source_task(source_id: int) -> dict:
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {"skipped": "source disabled or deleted"}
    report = actions.poll_source(source)
    return {
        "imported": report.imported,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "errors": report.errors[:20],
    }


def enqueue_due_polls(now=None) -> int:
    """Queue a poll for every source that is due and not claimed by another scheduler."""
    now = now or timezone.now()
    queued = 0
    for source in actions.due_sources(now):
        if actions.claim_due_source(source, now):
            poll_source_task.enqueue(source.id)
            queued += 1
    if queued:
        log.info("queued %d poll(s)", queued)
    return queued


@task()
def tag_existing_task(topic_id: int) -> dict:
    """Tag the stored mentions a new topic matches (a topic saved from the console)."""
    from .models import Topic

    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        return {"skipped": "topic deleted"}
    return {"tagged": actions.tag_existing(topic)}
