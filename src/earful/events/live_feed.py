"""Following a stop live: its updates as the stop page's HTML, and the small JSON answer
the page polls for new ones (GET /tours/<slug>/stops/<id>/updates.json?after=<id>).

The cursor is an update id: the page sends the highest id it shows and gets the updates
with a higher id (at most MAX_BATCH, oldest first; `more` says when there are others).
Each comes as the same <article> the page renders (built here, for both, so they cannot
drift), every value escaped and the Markdown already cleaned by nh3 when it was posted.

Deleted updates are reported, not hunted: every answer carries `ids`, the ids of all the
stop's updates now, and the page drops any update it shows that is not among them. An id
in `ids` that the page lacks and that is below its cursor (an update committed after a
higher one) tells the page to ask again from just below it.

Polling is cheap: the ETag is a digest of the stop's update ids, its phase, whether it is
still followed and the cursor, all read in one query of ids, so an unchanged answer is a
304 before anything is rendered; Cache-Control lets a CDN share an answer for a few
seconds. There is no Last-Modified: a deletion makes an answer newer without any newer
update, which a date cannot say.

A stop is followed from FOLLOW_BEFORE its start to FOLLOW_AFTER its end (staff post while
setting up and while packing up), unless it is cancelled; outside that the page does not
poll, and an answer with `follow: false` tells an open page to stop."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from earful.blog.templatetags.blog_media import photo_figure

from .local_times import moment_label
from .models import LiveUpdate, Stop

FOLLOW_BEFORE = timedelta(hours=1)
FOLLOW_AFTER = timedelta(hours=1)
POLL_SECONDS = 20
MAX_AGE = 5  # seconds a shared cache may keep an answer
MAX_BATCH = 50
PHOTO_SIZES = "(max-width: 46rem) 100vw, 46rem"
_CURSOR = re.compile(r"[0-9]{1,18}")  # ASCII digits only; 18 digits stay below 2**63


class CursorError(ValueError):
    """The `after` parameter is not an update id."""


def parse_cursor(raw: str | None) -> int:
    """`after` as an id: absent is 0 (every update); anything but 1 to 18 ASCII digits is
    refused (negative, fractional, huge, empty, other scripts' digits)."""
    if raw is None:
        return 0
    if not _CURSOR.fullmatch(raw):
        raise CursorError("after must be the id of an update: 0 to 18 digits, nothing else.")
    return int(raw)


def is_followed(stop: Stop, now: datetime) -> bool:
    """Whether an open stop page should poll for updates now. Differences of datetimes,
    never a datetime plus a timedelta: an old row near year 1 or 9999 must not overflow."""
    return (
        not stop.cancelled
        and stop.starts_at - now <= FOLLOW_BEFORE
        and now - stop.ends_at < FOLLOW_AFTER
    )


@dataclass(frozen=True, slots=True)
class PageFeed:
    """What the stop page tells its script: where to poll, from which id, and in how many
    seconds to start (0 when the stop is followed already)."""

    url: str
    cursor: int
    starts_in: int
    poll_seconds: int = POLL_SECONDS


def page_feed(stop: Stop, updates: list[LiveUpdate], now: datetime) -> PageFeed | None:
    """The feed for a stop page rendered now, or None when there is nothing to follow
    (cancelled, or over)."""
    if stop.cancelled or now - stop.ends_at >= FOLLOW_AFTER:
        return None
    starts_in = max(0, int((stop.starts_at - now - FOLLOW_BEFORE).total_seconds()))
    cursor = max((update.pk for update in updates), default=0)
    return PageFeed(feed_url(stop), cursor, starts_in)


def feed_url(stop: Stop) -> str:
    return reverse("events:stop-updates", args=[stop.tour.slug, stop.pk])


def update_html(update: LiveUpdate) -> str:
    """One update as the stop page shows it; `local_time` must be set (stop_updates)."""
    anchor = f"update-{update.pk}"
    at = update.created_at
    text = update.text_html or linebreaks(update.text, autoescape=True)
    photo = ""
    if update.photo_id is not None and update.photo is not None:
        photo = "\n  " + photo_figure(update.photo, sizes=PHOTO_SIZES, css_class="update-photo")
    post = update.blog_post if update.blog_post_id is not None else None
    more = ""
    if post is not None and post.is_live:
        more = (
            f'\n  <p class="meta">More on the blog: <a href="{escape(post.get_absolute_url())}">'
            f"{escape(post.title)}</a></p>"
        )
    return (
        f'<article class="update" id="{anchor}" data-at="{int(at.timestamp() * 1000)}">\n'
        f'  <p class="meta"><a href="#{anchor}"><time datetime="{at.isoformat()}">'
        f"{escape(update.local_time)}</time></a></p>\n"
        f'  <div class="text">{text}</div>{photo}{more}\n'
        "</article>\n"
    )


def updates_html(updates: list[LiveUpdate]) -> SafeString:
    return mark_safe("".join(update_html(update) for update in updates))


def current_ids(stop: Stop) -> list[int]:
    """Ids of the stop's updates, newest first (one query on the stop's index)."""
    return list(stop.updates.order_by("-created_at", "-id").values_list("id", flat=True))


def feed_etag(stop: Stop, after: int, ids: list[int], now: datetime) -> str:
    state = f"{stop.pk}:{after}:{stop.phase(now)}:{is_followed(stop, now)}:{ids}"
    return '"' + hashlib.blake2b(state.encode(), digest_size=12).hexdigest() + '"'


def updates_after(stop: Stop, after: int) -> list[LiveUpdate]:
    """The stop's updates with an id above `after`, oldest first, at most MAX_BATCH + 1
    (the extra one only says there are more)."""
    found = list(
        stop.updates.filter(pk__gt=after)
        .select_related("photo", "blog_post")
        .prefetch_related("photo__renditions")
        .order_by("id")[: MAX_BATCH + 1]
    )
    for update in found:
        update.stop = stop
        update.local_time = moment_label(update.created_at, stop.time_zone)
    return found


def feed_answer(stop: Stop, after: int, ids: list[int], now: datetime) -> dict:
    """The JSON body: the new updates (with their HTML), every current id, the cursor to
    send next, the phase, and whether to keep polling."""
    found = updates_after(stop, after) if ids and max(ids) > after else []
    more = len(found) > MAX_BATCH
    found = found[:MAX_BATCH]
    cursor = max([after] + [update.pk for update in found])
    return {
        "stop": stop.pk,
        "phase": stop.phase(now),
        "follow": is_followed(stop, now),
        "poll_seconds": POLL_SECONDS,
        "cursor": cursor,
        "more": more,
        "ids": ids,
        "updates": [
            {
                "id": update.pk,
                "created_at": update.created_at.isoformat(),
                "at": int(update.created_at.timestamp() * 1000),
                "html": update_html(update),
            }
            for update in found
        ],
    }
