"""Planning announcements: each stop of a published tour gets one announcement per
channel of the tour, due `announce_hours_before` hours before the stop starts. Planning
runs whenever a tour or stop changes: due times and texts follow the stop (unless staff
edited the text by hand), cancelled stops, unpublished tours and removed channels cancel
what was not sent yet, and what was sent is never touched. Sending is the worker's
(events/sending.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earful.blog.river_link import absolute

from ..errors import TourError
from ..models import Announcement, Stop, Tour
from ..permissions import can_manage
from ..places import time_zone

UNSENT = (Announcement.State.SCHEDULED, Announcement.State.FAILED)
DEFAULT_TEMPLATE = "{tour}: next stop {venue}, {address}, {start} to {end}. Come and say hi! {url}"
MAX_TEXT = 3_000
FIELDS = ("tour", "venue", "address", "city", "start", "end", "url")


def announcement_text(stop: Stop, template: str = "") -> str:
    """The template with the stop's details, times in the venue's own time zone."""
    local = time_zone(stop.time_zone)
    start = timezone.localtime(stop.starts_at, local)
    end = timezone.localtime(stop.ends_at, local)
    same_day = start.date() == end.date()
    values = {
        "tour": stop.tour.title,
        "venue": stop.venue,
        "address": stop.address,
        "city": stop.city,
        "start": start.strftime("%a %d %b %H:%M"),
        "end": end.strftime("%H:%M %Z" if same_day else "%a %d %b %H:%M %Z"),
        "url": absolute(stop.get_absolute_url()),
    }
    text = template or stop.tour.announcement_template or DEFAULT_TEMPLATE
    for name in FIELDS:
        text = text.replace("{" + name + "}", values[name])
    return text.strip()


def check_template(template: str) -> str:
    """Refuse a template with unknown {fields} so a typo does not go out to the world."""
    unknown = sorted(set(re.findall(r"\{([^{}]*)\}", template)) - set(FIELDS))
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise TourError(f"Unknown fields in the announcement text: {names}.")
    return template


def plan_stop(stop: Stop, now=None) -> None:
    now = now or timezone.now()
    tour = stop.tour
    channels = {c.pk: c for c in tour.channels.filter(enabled=True)}
    wanted = tour.published and not stop.cancelled and stop.ends_at > now
    with transaction.atomic():
        existing = {a.channel_id: a for a in stop.announcements.select_for_update()}
        for channel_id, announcement in existing.items():
            if announcement.state in UNSENT and (not wanted or channel_id not in channels):
                announcement.state = Announcement.State.CANCELLED
                announcement.save(update_fields=["state"])
        if not wanted:
            return
        send_at = max(stop.starts_at - timedelta(hours=tour.announce_hours_before), now)
        text = announcement_text(stop)
        for channel_id in channels:
            announcement = existing.get(channel_id)
            if announcement is None:
                Announcement.objects.create(
                    stop=stop, channel_id=channel_id, text=text, send_at=send_at
                )
                continue
            if announcement.state in (Announcement.State.SENT, Announcement.State.SENDING):
                continue
            if announcement.state == Announcement.State.GAVE_UP:
                continue
            announcement.send_at = send_at
            if not announcement.edited:
                announcement.text = text
            if announcement.state == Announcement.State.CANCELLED:
                announcement.state = Announcement.State.SCHEDULED
                announcement.attempts = 0
                announcement.next_attempt_at = None
            announcement.save(
                update_fields=["send_at", "text", "state", "attempts", "next_attempt_at"]
            )


def plan_tour(tour: Tour, now=None) -> None:
    for stop in tour.stops.all():
        plan_stop(stop, now)


def edit_announcement(announcement: Announcement, user, text: str) -> Announcement:
    """Staff change the text before it goes; it is then kept when the stop changes."""
    if not can_manage(user):
        raise TourError("Only staff who manage tours can change announcements.")
    text = (text or "").strip()
    if not text:
        raise TourError("The announcement is empty; cancel it instead.")
    if len(text) > MAX_TEXT:
        raise TourError(f"An announcement is at most {MAX_TEXT:,} characters.")
    with transaction.atomic():
        current = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if current.state not in UNSENT:
            raise TourError(f"This announcement is {current.get_state_display().lower()}.")
        current.text, current.edited = text, True
        current.save(update_fields=["text", "edited"])
    return current


def cancel_announcement(announcement: Announcement, user) -> Announcement:
    if not can_manage(user):
        raise TourError("Only staff who manage tours can cancel announcements.")
    with transaction.atomic():
        current = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if current.state not in UNSENT:
            raise TourError(f"This announcement is {current.get_state_display().lower()}.")
        current.state = Announcement.State.CANCELLED
        current.save(update_fields=["state"])
    return current
