"""Who may do what in the community: anyone reads, signed-in members who are not
suspended write, staff with the console permission manage_community moderate, mark
official answers and decide on ambassadors."""

from __future__ import annotations

from earful.accounts.access import can

MANAGE = "manage_community"


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_manage(user) -> bool:
    return bool(user is not None and can(user, MANAGE))
