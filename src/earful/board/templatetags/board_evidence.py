"""{% evidence_panel mention as panel %}: what the console's "Link to idea" card shows for
a mention (the include board/console/_evidence.html): the ideas it is linked to, and a few
ideas like it to link with one click."""

from __future__ import annotations

from django import template

from ..console.evidence import suggested_ideas
from ..models import Evidence

register = template.Library()


@register.simple_tag
def evidence_panel(mention) -> dict:
    links = list(Evidence.objects.filter(mention=mention).select_related("idea", "idea__status"))
    linked = {ev.idea_id for ev in links}
    return {"links": links, "suggested": suggested_ideas(mention, linked)}
