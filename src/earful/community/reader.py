"""What the reader of a page may do, asked once per request: a page, its nav and its
forms all ask about the same person's privileges, and each answer costs two queries."""

from __future__ import annotations

from django.http import HttpRequest

from .actions.reputation import privileges


def privileges_of(request: HttpRequest) -> frozenset[str]:
    """The request's user's privileges (reputation.privileges), remembered on the request."""
    held = getattr(request, "_community_privileges", None)
    if held is None:
        user = getattr(request, "user", None)
        held = privileges(user) if user is not None and user.is_authenticated else frozenset()
        request._community_privileges = held
    return held
