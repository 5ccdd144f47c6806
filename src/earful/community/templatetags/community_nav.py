"""{% may_review as review %}: whether the reader holds the `moderate` privilege (their
level's, or staff's), so the community's nav links the review queue for them only."""

from __future__ import annotations

from django import template

from ..actions.reputation import has_privilege
from ..models import Level

register = template.Library()


@register.simple_tag(takes_context=True)
def may_review(context) -> bool:
    user = getattr(context.get("request"), "user", None)
    return bool(user and user.is_authenticated and has_privilege(user, Level.Privilege.MODERATE))
