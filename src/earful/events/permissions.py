"""Anyone reads published tours and leaves feedback; staff with the console permission
manage_tours plan tours, announce them and post live updates."""

from __future__ import annotations

from earful.accounts.access import can

MANAGE = "manage_tours"


def can_manage(user) -> bool:
    return bool(user is not None and can(user, MANAGE))
