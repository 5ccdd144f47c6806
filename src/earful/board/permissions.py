"""Who may do what on the board: anyone reads, signed-in customers write, staff with the
console permission manage_ideas change statuses and moderate."""

from __future__ import annotations

from earful.accounts.access import can

MANAGE = "manage_ideas"


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_manage(user) -> bool:
    return bool(user is not None and can(user, MANAGE))
