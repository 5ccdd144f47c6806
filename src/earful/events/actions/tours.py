"""Tours and their stops: created and changed by staff, validated (time zone, a time
window that ends after it starts, coordinates on the globe), announcements re-planned
whenever a stop's time or place changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from earful.blog.markdown import render_post

from ..errors import TourError
from ..models import Announcement, Stop, Tour
from ..permissions import can_manage
from ..places import coordinates, local_moment, time_zone
from .announcements import check_template, plan_stop, plan_tour

MAX_TITLE = 150
MAX_TEXT = 20_000
# Addresses the console's own pages use under /console/tours/.
RESERVED_SLUGS = frozenset({"new", "channels", "live", "geocode"})


def _staff(user) -> None:
    if not can_manage(user):
        raise TourError("Only staff who manage tours can change them.")


def _text(value: str, what: str, maximum: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise TourError(f"The {what} contains a null character.")
    if required and not value:
        raise TourError(f"The {what} is empty.")
    if len(value) > maximum:
        raise TourError(f"The {what} is at most {maximum:,} characters.")
    return value


def create_tour(
    user,
    *,
    title: str,
    description: str = "",
    slug: str = "",
    announce_hours_before: int = 24,
    announcement_template: str = "",
    channels=(),
) -> Tour:
    _staff(user)
    title = " ".join(_text(title, "title", MAX_TITLE).split())
    description = _text(description, "description", MAX_TEXT, required=False)
    slug = slugify(slug or title)[:80]
    if not slug:
        raise TourError("The tour needs a title with letters or digits.")
    if slug in RESERVED_SLUGS:
        raise TourError(f"/tours/{slug}/ is taken by a page of its own; choose another address.")
    hours = _hours(announce_hours_before)
    template = check_template(
        _text(announcement_template, "announcement text", 1_000, required=False)
    )
    try:
        with transaction.atomic():
            tour = Tour.objects.create(
                title=title,
                slug=slug,
                description=description,
                description_html=render_post(description) if description else "",
                announce_hours_before=hours,
                announcement_template=template,
                created_by=user,
            )
            tour.channels.set(channels)
    except IntegrityError as error:
        raise TourError(f"A tour with the address /tours/{slug}/ already exists.") from error
    return tour


def _hours(value) -> int:
    try:
        hours = int(value)
    except (TypeError, ValueError) as error:
        raise TourError("Announce ahead by a whole number of hours.") from error
    if not 0 <= hours <= 24 * 30:
        raise TourError("Announce between 0 hours and 30 days ahead.")
    return hours


def update_tour(tour: Tour, user, **changes) -> Tour:
    """Change a tour's text, settings or channels; announcements not yet sent follow."""
    _staff(user)
    if "title" in changes:
        tour.title = " ".join(_text(changes["title"], "title", MAX_TITLE).split())
    if "description" in changes:
        tour.description = _text(changes["description"], "description", MAX_TEXT, required=False)
        tour.description_html = render_post(tour.description) if tour.description else ""
    if "announce_hours_before" in changes:
        tour.announce_hours_before = _hours(changes["announce_hours_before"])
    if "announcement_template" in changes:
        tour.announcement_template = check_template(
            _text(changes["announcement_template"], "announcement text", 1_000, required=False)
        )
    if "published" in changes:
        tour.published = bool(changes["published"])
    tour.updated_at = timezone.now()
    with transaction.atomic():
        tour.save()
        if "channels" in changes:
            tour.channels.set(changes["channels"])
        plan_tour(tour)
    return tour


def save_stop(
    tour: Tour,
    user,
    *,
    venue: str,
    address: str,
    time_zone_name: str,
    starts_at: datetime,
    ends_at: datetime,
    city: str = "",
    latitude=None,
    longitude=None,
    description: str = "",
    stop: Stop | None = None,
) -> Stop:
    """Add a stop to the tour, or change `stop`; times without a zone are the venue's
    wall-clock times (places.local_moment: a time in a gap is refused, a time that happens
    twice is the first one). The window is checked between real instants."""
    _staff(user)
    if stop is not None and stop.tour_id != tour.pk:
        raise TourError("That stop belongs to another tour.")
    zone = time_zone(time_zone_name)
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise TourError("A stop needs a start and an end time.")
    starts, ends = local_moment(starts_at, zone), local_moment(ends_at, zone)  # in UTC
    if ends <= starts:
        raise TourError("A stop ends after it starts.")
    if ends - starts > timedelta(days=14):
        raise TourError("A stop lasts at most 14 days.")
    lat, lon = coordinates(latitude, longitude)
    stop = stop or Stop(tour=tour)
    stop.venue = " ".join(_text(venue, "venue", 150).split())
    stop.address = " ".join(_text(address, "address", 300).split())
    stop.city = " ".join(_text(city, "city", 100, required=False).split())
    stop.time_zone = zone.key
    stop.starts_at, stop.ends_at = starts.astimezone(zone), ends.astimezone(zone)
    stop.latitude, stop.longitude = lat, lon
    stop.description = _text(description, "description", MAX_TEXT, required=False)
    stop.description_html = render_post(stop.description) if stop.description else ""
    stop.updated_at = timezone.now()
    with transaction.atomic():
        stop.save()
        Tour.objects.filter(pk=tour.pk).update(updated_at=stop.updated_at)
        plan_stop(stop)
    return stop


def cancel_stop(stop: Stop, user, cancelled: bool = True) -> Stop:
    """Cancel (or reinstate) a stop; its unsent announcements are cancelled (or planned)."""
    _staff(user)
    with transaction.atomic():
        stop.cancelled = cancelled
        stop.updated_at = timezone.now()
        stop.save(update_fields=["cancelled", "updated_at"])
        plan_stop(stop)
    return stop


def delete_stop(stop: Stop, user) -> None:
    """Delete a stop that was never announced. Refused while a worker is sending one of
    its announcements, and once one was sent: the posts and their log stay."""
    _staff(user)
    state = Announcement.State
    with transaction.atomic():
        # Cancel first what a worker could still claim: its claim (an UPDATE on the state)
        # then finds nothing, and a refusal below rolls this back.
        stop.announcements.filter(state__in=[state.SCHEDULED, state.FAILED]).update(
            state=state.CANCELLED
        )
        states = set(stop.announcements.values_list("state", flat=True))
        if state.SENDING in states:
            raise TourError(
                "An announcement of this stop is being sent right now; wait until it is "
                "done, then cancel the stop instead of deleting it."
            )
        if state.SENT in states:
            raise TourError("This stop was already announced; cancel it instead of deleting it.")
        stop.delete()
