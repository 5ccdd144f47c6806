"""{% may_review as review %}: whether the reader holds the `moderate` privilege (their
level's, or staff's), so the community's nav links the review queue for them only."""

from __future__ import annotations

from django import template

from ..models import Level
from ..reader import privileges_of

register = template.Library()


@register.simple_tag(takes_context=True)
def may_review(context) -> bool:
    request = context.get("request")
    return request is not None and Level.Privilege.MODERATE in privileges_of(request)
