"""The public tour pages at /tours/: the list of tours, a tour with its map and stops, a stop
with its live updates and feedback form, printable QR signs, and the calendar file.

Pages without a form are the same for everyone, so shared caches may keep them a minute;
the stop page carries a CSRF token and messages, so only the visitor's browser keeps it.
The stop's updates.json, which the open stop page polls while the stop is on, is shared
for a few seconds with ETag 304s (live_feed.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import conditional_page, require_GET, require_POST, require_safe

from . import live_feed
from .actions.feedback import feedback_closes_at, open_for_feedback, submit_feedback
from .errors import TourError
from .feeds import calendar_stops, tour_calendar
from .listing import (
    neighbours,
    published_stop,
    published_tour,
    published_tours,
    stop_updates,
    tour_listing,
)
from .local_times import local_window, moment_label
from .map_data import PHASE_LABELS, map_config, map_script, stop_marker
from .permissions import can_manage
from .public_forms import FeedbackForm
from .qr import feedback_url, qr_svg
from .tour_html import stop_groups_html

PAGE_MAX_AGE = 60
FEED_MAX_AGE = 300


def shared_cache(max_age: int) -> Callable:
    """Public pages: Cache-Control public for `max_age` seconds, ETag and 304s."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def cached(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=max_age)
            return response

        return require_safe(conditional_page(cached))

    return decorate


@shared_cache(PAGE_MAX_AGE)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "events/index.html", {"tours": published_tours(), "now": timezone.now()})


@shared_cache(PAGE_MAX_AGE)
def tour(request: HttpRequest, slug: str) -> HttpResponse:
    found = published_tour(slug)
    listing = tour_listing(found)
    context = {
        "tour": found,
        "listing": listing,
        "stops_html": stop_groups_html(listing.groups),
        "map_json": map_script(map_config(listing.markers), "tour-map-data"),
        "webcal_url": _webcal(request, f"{found.get_absolute_url()}calendar.ics"),
    }
    return render(request, "events/tour.html", context)


def _webcal(request: HttpRequest, path: str) -> str:
    """The calendar's address with the webcal: scheme, which calendar apps subscribe to."""
    return "webcal://" + request.build_absolute_uri(path).split("://", 1)[1]


def _stop_page(
    request: HttpRequest, slug: str, stop_id: int, form: FeedbackForm | None = None
) -> HttpResponse:
    found = published_stop(slug, stop_id)
    now = timezone.now()
    phase = found.phase(now)
    window = local_window(found)
    updates = stop_updates(found)
    marker = stop_marker(found, phase, window.label, found.get_absolute_url())
    context = {
        "tour": found.tour,
        "stop": found,
        "phase": phase,
        "phase_label": PHASE_LABELS[phase],
        "window": window,
        "updates": updates,
        "updates_html": live_feed.updates_html(updates),
        "live_feed": live_feed.page_feed(found, updates, now),
        "map_json": map_script(map_config([marker], zoom=15), "stop-map-data") if marker else "",
        "feedback_open": open_for_feedback(found, now),
        "feedback_not_yet": not found.cancelled and now < found.starts_at,
        "feedback_closes": moment_label(feedback_closes_at(found), found.time_zone),
        "form": form or FeedbackForm(),
        "webcal_url": _webcal(request, f"{found.get_absolute_url()}calendar.ics"),
        "staff": can_manage(request.user),
        "neighbours": neighbours(found),
    }
    response = render(request, "events/stop.html", context, status=400 if form is not None else 200)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def stop(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    return _stop_page(request, slug, stop_id)


@require_safe
def stop_updates_json(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    """The stop's updates newer than ?after=<id>, for the open stop page (live_feed.py):
    400 for a cursor that is not an id, 304 when nothing changed, public for a few seconds."""
    try:
        after = live_feed.parse_cursor(request.GET.get("after"))
    except live_feed.CursorError as error:
        return JsonResponse({"error": str(error)}, status=400)
    found = published_stop(slug, stop_id)
    now = timezone.now()
    ids = live_feed.current_ids(found)
    etag = live_feed.feed_etag(found, after, ids, now)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = JsonResponse(live_feed.feed_answer(found, after, ids, now))
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=live_feed.MAX_AGE)
    return response


@require_POST
def feedback(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = published_stop(slug, stop_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return _stop_page(request, slug, stop_id, form)
    data = form.cleaned_data
    try:
        submit_feedback(
            found,
            text=data["text"],
            rating=data["rating"],
            name=data["name"],
            email=data["email"],
            address=request.META.get("REMOTE_ADDR", ""),
        )
    except TourError as error:
        messages.error(request, str(error))
        return _stop_page(request, slug, stop_id, form)
    messages.success(request, "Thank you! Your feedback went straight to the team.")
    return redirect(f"{found.get_absolute_url()}#feedback")


@shared_cache(PAGE_MAX_AGE)
def qr_sign(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = published_stop(slug, stop_id)
    target = feedback_url(found)
    context = {
        "tour": found.tour,
        "stop": found,
        "window": local_window(found),
        "target": target,
        "svg": qr_svg(target),
    }
    return render(request, "events/qr.html", context)


@shared_cache(FEED_MAX_AGE)
def qr_image(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = published_stop(slug, stop_id)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + qr_svg(feedback_url(found))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="stop-{found.pk}-feedback-qr.svg"'
    return response


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@shared_cache(FEED_MAX_AGE)
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    found = published_tour(slug)
    return _calendar_response(tour_calendar(found, calendar_stops(found)), f"{found.slug}.ics")


@shared_cache(FEED_MAX_AGE)
def stop_calendar(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = published_stop(slug, stop_id)
    body = tour_calendar(found.tour, [found], name=f"{found.tour.title}: {found.venue}")
    return _calendar_response(body, f"{found.tour.slug}-stop-{found.pk}.ics")
