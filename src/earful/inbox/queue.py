"""Reading the inbox: its items by status, assignee and reason, for the page and the API,
and the person a form or a request names."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Triage

OPEN_STATUSES = ["new", "open"]
REASON_FLAGS = {"negative": "negative", "question": "question", "reach": "high_reach"}


class UnknownAssignee(ValueError):
    pass


def queue_items(statuses: list[str], assignee: str, reason: str, me) -> QuerySet:
    """Items with one of `statuses`, given to `assignee` (any, me, none or a user id) and
    taken in for `reason` (empty: any). Raises UnknownAssignee for any other assignee."""
    items = Triage.objects.filter(status__in=statuses)
    if assignee == "me":
        items = items.filter(assignee=me)
    elif assignee == "none":
        items = items.filter(assignee=None)
    elif assignee.isdigit():
        items = items.filter(assignee_id=int(assignee))
    elif assignee != "any":
        raise UnknownAssignee("assignee must be any, me, none or a user id")
    if reason in REASON_FLAGS:
        items = items.filter(**{REASON_FLAGS[reason]: True})
    return items


def person(value: str, me):
    """The user `value` names: `me`, `none` (or empty) for nobody, or a user id."""
    if value == "me":
        return me
    if value in ("", "none"):
        return None
    if not value.isdigit():
        raise ValueError(f"{value[:20]!r} is not a user")
    user = get_user_model().objects.filter(pk=int(value)).first()
    if user is None:
        raise ValueError(f"there is no user {value}")
    return user
