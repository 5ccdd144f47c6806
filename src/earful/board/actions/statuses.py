"""Status changes: staff move an idea along (open -> planned -> done ...) with a public
note; every change is kept as a StatusChange, the idea's public history. A change is not
a voice, so it does not enter the river; the notices it causes are logged as Notice rows."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from earful.blog.markdown import render_comment

from ..models import Idea, Status, StatusChange
from ..permissions import can_manage
from ..tasks import queue_notices
from .ideas import IdeaError

MAX_NOTE = 5_000


def change_status(idea: Idea, status: Status, note: str, user, now=None) -> StatusChange:
    """Move the idea to `status` with a public note; raises IdeaError when refused."""
    if not can_manage(user):
        raise IdeaError("Only staff who manage ideas can change their status.")
    if idea.merged_into_id is not None:
        raise IdeaError(f"This idea was merged into #{idea.merged_into_id}; change that one.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise IdeaError(f"A note is at most {MAX_NOTE:,} characters.")
    if "\x00" in note:
        raise IdeaError("The note contains a null character.")
    if status.pk == idea.status_id:
        raise IdeaError(f"The idea is already {status.name}.")
    now = now or timezone.now()
    with transaction.atomic():
        change = StatusChange.objects.create(
            idea=idea,
            from_status_id=idea.status_id,
            to_status=status,
            note=note,
            note_html=render_comment(note) if note else "",
            by=user,
            at=now,
        )
        idea.status = status
        idea.status_changed_at = now
        idea.updated_at = now
        idea.save(update_fields=["status", "status_changed_at", "updated_at"])
        queue_notices(change)  # sent by the worker once this commits
    return change
