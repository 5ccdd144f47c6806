"""The console's roles: Django groups, each granting a set of the Console permissions.

A user may hold several roles; superusers hold every permission.
"""

from __future__ import annotations

ADMIN = "admin"
LISTENER = "listener"
RESPONDER = "responder"
AUTHOR = "author"

PERMISSIONS = {
    "view_dashboard",
    "search_mentions",
    "manage_topics",
    "triage_inbox",
    "manage_sources",
    "manage_users",
    "write_posts",
    "moderate_comments",
    "manage_ideas",
    "manage_community",
    "manage_tours",
}

ROLES: dict[str, frozenset[str]] = {
    ADMIN: frozenset(PERMISSIONS),
    LISTENER: frozenset({"view_dashboard", "search_mentions", "manage_topics"}),
    RESPONDER: frozenset(
        {
            "search_mentions",
            "triage_inbox",
            "moderate_comments",
            "manage_ideas",
            "manage_community",
        }
    ),
    AUTHOR: frozenset({"write_posts", "moderate_comments", "manage_tours"}),
}


def perm(codename: str) -> str:
    """The full permission name Django checks, e.g. "accounts.view_dashboard"."""
    if codename not in PERMISSIONS:
        raise ValueError(f"unknown console permission {codename!r}")
    return f"accounts.{codename}"
