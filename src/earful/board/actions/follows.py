"""Following an idea: followers hear when its status changes."""

from __future__ import annotations

from ..models import Follow, Idea
from ..permissions import is_signed_in
from .ideas import IdeaError


def follow(idea: Idea, user) -> bool:
    """The user follows the idea; False if they already did."""
    if not is_signed_in(user):
        raise IdeaError("Sign in to follow ideas.")
    if idea.merged_into_id is not None:
        raise IdeaError(f"This idea was merged into #{idea.merged_into_id}; follow that one.")
    _, created = Follow.objects.get_or_create(idea=idea, user=user)
    return created


def unfollow(idea: Idea, user) -> bool:
    """The user stops following the idea; False if they did not follow it."""
    if not is_signed_in(user):
        raise IdeaError("Sign in to follow ideas.")
    deleted, _ = Follow.objects.filter(idea=idea, user=user).delete()
    return bool(deleted)


def follows(idea: Idea, user) -> bool:
    return is_signed_in(user) and Follow.objects.filter(idea=idea, user=user).exists()
