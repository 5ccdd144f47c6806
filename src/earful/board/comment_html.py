"""An idea's comments as HTML, built in Python like the blog's thread (thread_html.py):
one f-string per comment over escaped values (the body is stored sanitised by nh3), so an
idea with hundreds of comments renders in microseconds per comment, not a millisecond."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

STAFF_BADGE = ' <span class="badge">staff</span>'


def render_comments(rows: Iterable) -> SafeString:
    """`rows`: named tuples with id, body_html, staff, created_at and writer (a name)."""
    parts = []
    for c in rows:
        pk = int(c.id)
        staff = " staff" if c.staff else ""
        parts.append(
            f'<li id="comment-{pk}" class="comment{staff}">'
            f'<p class="meta"><strong>{escape(c.writer)}</strong>'
            f"{STAFF_BADGE if c.staff else ''} "
            f'<a class="when" href="#comment-{pk}"><time datetime="{c.created_at.isoformat()}">'
            f"{c.created_at:%-d %b %Y %H:%M}</time></a></p>"
            f'<div class="body">{c.body_html}</div></li>\n'
        )
    return mark_safe("".join(parts))
