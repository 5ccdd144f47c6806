"""The stop list of a tour page as HTML, built in Python.

With Django's template engine each stop row (a dozen variables and conditions) cost about
0.4 ms, two thirds of a 100-stop tour page (bench/tour_page.py); as one f-string per row
over values escaped with html.escape it costs a few microseconds. The rest of the page
stays a template."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .listing import StopGroup

NEXT_TAG = ' <span class="tag next">Next stop</span>'


def stop_groups_html(groups: list[StopGroup]) -> SafeString:
    parts = []
    for group in groups:
        parts.append(
            f'<section class="stops" id="{group.phase}">\n'
            f"<h2>{escape(group.label)} <small>{len(group.rows)}</small></h2>\n"
            '<ol class="stop-list">\n'
        )
        for row in group.rows:
            stop = row.stop
            next_class = " next" if row.is_next else ""
            updates = ""
            if row.update_count:
                plural = "" if row.update_count == 1 else "s"
                updates = f'<span class="updates">{row.update_count} update{plural}</span>'
            parts.append(
                f'<li class="stop-row phase-{row.phase}{next_class}" id="stop-{stop.pk}">'
                f'<a class="venue" href="{escape(row.url)}">{escape(stop.venue)}</a>'
                f"{NEXT_TAG if row.is_next else ''}"
                f'<span class="place">{escape(stop.city or stop.address)}</span>'
                f'<time datetime="{row.window.starts.isoformat()}">{escape(row.label)}</time>'
                f"{updates}</li>\n"
            )
        parts.append("</ol>\n</section>\n")
    return mark_safe("".join(parts))
