"""The comment thread of a post page as HTML, built in Python.

Django's template engine costs about a millisecond per comment once each one has a dozen
variables, filters and conditions: a post with 500 comments took ~670 ms to render
(bench/blog_post_page.py), and format_html's per-argument checks still ~200 ms. Here each
comment is one f-string over values escaped with html.escape (the body is stored already
sanitised by nh3), a few microseconds each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .queries import ThreadEntry

MAX_INDENT = 6
STAFF_BADGE = ' <span class="badge">staff</span>'
EDITED = ' <span class="edited">(edited)</span>'


def render_thread(
    entries: Iterable[ThreadEntry],
    *,
    can_reply: bool,
    editable: set[int],
    user_id: int | None,
    edit_since: datetime,
) -> SafeString:
    """`editable`: ids this browser wrote as a guest; `user_id`: the reader signed in;
    comments written at or after `edit_since` may still be edited by their writer."""
    edit_prefix = reverse("blog:comment-edit", args=[0]).rsplit("/0/", 1)
    parts = []
    for entry in entries:
        c = entry.comment
        pk = int(c.id)
        name = escape(c.name)
        if c.website:
            name = f'<a href="{escape(c.website)}" rel="nofollow ugc noopener">{name}</a>'
        actions = ""
        if can_reply:
            actions = f'<a href="?reply={pk}#reply" class="reply" data-reply="{pk}">Reply</a>'
        mine = pk in editable or (c.user_id and c.user_id == user_id)
        if mine and c.created_at >= edit_since:
            actions += f' <a href="{edit_prefix[0]}/{pk}/{edit_prefix[1]}">Edit</a>'
        staff = " staff" if c.staff else ""
        parts.append(
            f'<li id="comment-{pk}" class="comment depth-{entry.depth}{staff}" '
            f'style="--depth: {min(entry.depth, MAX_INDENT)}">'
            f'<p class="meta"><strong>{name}</strong>{STAFF_BADGE if c.staff else ""} '
            f'<a class="when" href="#comment-{pk}"><time datetime="{c.created_at.isoformat()}">'
            f"{c.created_at:%-d %b %Y %H:%M}</time></a>{EDITED if c.edited_at else ''}</p>"
            f'<div class="body">{c.body_html}</div><p class="actions">{actions}</p></li>\n'
        )
    return mark_safe("".join(parts))
