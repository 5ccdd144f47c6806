"""The console's tour pages at /console/tours/: tours, their stops, channels, the
announcements with their log, live posting from the venue and the stop comparison.
Every page needs manage_tours; the rules live in events/actions and events/sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from earful.accounts.access import can, console_permission

from .actions.announcements import cancel_announcement, edit_announcement, plan_tour
from .actions.live import (
    can_cross_post,
    current_stop,
    delete_live_update,
    post_live_update,
    stops_of_today,
)
from .actions.tours import cancel_stop, create_tour, delete_stop, save_stop, update_tour
from .console_forms import (
    LOCAL_FORMAT,
    AnnouncementTextForm,
    ChannelForm,
    LiveUpdateForm,
    StopForm,
    TourForm,
    masked,
)
from .errors import TourError
from .geocoder import find_coordinates, geocoder_url
from .local_times import at_venue
from .models import Announcement, Channel, Feedback, LiveUpdate, Stop, Tour
from .places import time_zone
from .sending import BLUESKY_LIMIT, MASTODON_LIMIT, channel_limit_problem, send_now
from .stop_comparison import FILTERS, chart_data, feedback_of, stop_feedback, tour_totals

SECTION = "tours"
MANAGE = "manage_tours"
UNSENT = (Announcement.State.SCHEDULED, Announcement.State.FAILED)
FEEDBACK_PER_PAGE = 50


def _count(model, field: str, **filters) -> Coalesce:
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def tours_with_counts() -> QuerySet[Tour]:
    """Every tour with its stop, pending, failed and feedback counts (one query)."""
    now = timezone.now()
    return Tour.objects.annotate(
        stop_count=_count(Stop, "tour"),
        upcoming=_count(Stop, "tour", cancelled=False, ends_at__gt=now),
        unsent=_count(Announcement, "stop__tour", state=Announcement.State.SCHEDULED),
        failing=_count(
            Announcement,
            "stop__tour",
            state__in=[Announcement.State.FAILED, Announcement.State.GAVE_UP],
        ),
        feedback_count=_count(Feedback, "stop__tour"),
        next_start=Subquery(
            Stop.objects.filter(tour=OuterRef("pk"), cancelled=False, ends_at__gt=now)
            .order_by("starts_at")
            .values("starts_at")[:1]
        ),
    ).order_by("-created_at", "-id")


PLACEHOLDER = "2147483647"


def path_maker(name: str, *args) -> Callable[[int], str]:
    """Paths of one URL pattern for many ids, reversed once (a reverse per row is most
    of a long page's time)."""
    head, tail = reverse(name, args=[*args, PLACEHOLDER]).rsplit(PLACEHOLDER, 1)
    return lambda pk: f"{head}{pk}{tail}"


def _window_text(start, end) -> str:
    if start.date() == end.date():
        return f"{start:%a %d %b %Y, %H:%M}–{end:%H:%M}"
    return f"{start:%a %d %b %Y, %H:%M}–{end:%a %d %b, %H:%M}"


def _tour(slug: str) -> Tour:
    return get_object_or_404(Tour, slug=slug)


def _fail(request: HttpRequest, error: Exception) -> None:
    messages.error(request, str(error))


# --- tours ---------------------------------------------------------------------------------


@console_permission(MANAGE)
@require_GET
def tours(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/console/tours.html",
        {"section": SECTION, "tours": tours_with_counts(), "now": timezone.now()},
    )


@console_permission(MANAGE)
def tour_new(request: HttpRequest) -> HttpResponse:
    form = TourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tour = create_tour(
                request.user,
                title=data["title"],
                description=data["description"],
                announce_hours_before=data["announce_hours_before"],
                announcement_template=data["announcement_template"],
                channels=data["channels"],
            )
            if data["published"]:
                update_tour(tour, request.user, published=True)
        except TourError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Created “{tour.title}”. Now add its stops.")
            return redirect("events-console:tour", tour.slug)
    return render(
        request, "events/console/tour_form.html", {"section": SECTION, "form": form, "tour": None}
    )


@console_permission(MANAGE)
def tour_edit(request: HttpRequest, slug: str) -> HttpResponse:
    tour = _tour(slug)
    form = TourForm(request.POST or None, initial=TourForm.initial_for(tour))
    if request.method == "POST" and form.is_valid():
        try:
            update_tour(tour, request.user, **form.cleaned_data)
        except TourError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved “{tour.title}”; its announcements follow.")
            return redirect("events-console:tour", tour.slug)
    return render(
        request, "events/console/tour_form.html", {"section": SECTION, "form": form, "tour": tour}
    )


@console_permission(MANAGE)
@require_GET
def tour(request: HttpRequest, slug: str) -> HttpResponse:
    """A tour's stops, in time order, with their phase and what they got."""
    found = _tour(slug)
    now = timezone.now()
    stops = list(
        found.stops.annotate(
            update_count=_count(LiveUpdate, "stop"),
            feedback_count=_count(Feedback, "stop"),
            sent_count=_count(Announcement, "stop", state=Announcement.State.SENT),
            first_send=Subquery(
                Announcement.objects.filter(stop=OuterRef("pk"), state__in=UNSENT)
                .order_by("send_at")
                .values("send_at")[:1]
            ),
        ).order_by("starts_at", "id")
    )
    edit = path_maker("events-console:stop-edit", found.slug)
    cancel = path_maker("events-console:stop-cancel", found.slug)
    delete = path_maker("events-console:stop-delete", found.slug)
    public = path_maker("events:stop", found.slug)
    sign = path_maker("events:qr", found.slug)
    for stop in stops:
        zone = time_zone(stop.time_zone)
        stop.window = _window_text(at_venue(stop.starts_at, zone), at_venue(stop.ends_at, zone))
        stop.current_phase = stop.phase(now)
        stop.urls = {
            "edit": edit(stop.pk), "cancel": cancel(stop.pk), "delete": delete(stop.pk),
            "public": public(stop.pk), "sign": sign(stop.pk),
        }  # fmt: skip
        stop.first_send_text = f"{stop.first_send:%Y-%m-%d %H:%M}" if stop.first_send else ""
    return render(
        request,
        "events/console/tour.html",
        {
            "section": SECTION,
            "tour": found,
            "stops": stops,
            "channels": list(found.channels.all()),
            "missing_coordinates": sum(1 for s in stops if s.latitude is None),
        },
    )


# --- stops ---------------------------------------------------------------------------------


def _stop(tour: Tour, stop_id: int) -> Stop:
    return get_object_or_404(Stop, pk=stop_id, tour=tour)


def _stop_page(request: HttpRequest, tour: Tour, stop: Stop | None) -> HttpResponse:
    candidates = []
    if request.method == "POST":
        form = StopForm(request.POST)
        if "geocode" in request.POST:
            candidates = _find(request)
            typed = {name: request.POST.get(name, "") for name in StopForm.base_fields}
            if candidates:
                typed["latitude"] = f"{candidates[0].latitude:.6f}"
                typed["longitude"] = f"{candidates[0].longitude:.6f}"
            form = StopForm(initial=typed)  # shown again, unbound: finding is not saving
        elif form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_stop(
                    tour,
                    request.user,
                    stop=stop,
                    venue=data["venue"],
                    address=data["address"],
                    city=data["city"],
                    time_zone_name=data["time_zone"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    description=data["description"],
                )
            except TourError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Saved the stop at {saved.venue}.")
                return redirect("events-console:tour", tour.slug)
    else:
        form = StopForm(initial=StopForm.initial_for(stop) if stop else _next_stop_initial(tour))
    return render(
        request,
        "events/console/stop_form.html",
        {
            "section": SECTION,
            "tour": tour,
            "stop": stop,
            "form": form,
            "candidates": candidates,
            "geocoder": bool(geocoder_url()),
        },
    )


def _next_stop_initial(tour: Tour) -> dict:
    """A new stop starts where the tour left off: the last stop's time zone, and its
    opening hours a day later (a tour of one store a day is typed quickly)."""
    last = tour.stops.order_by("-starts_at", "-id").first()
    if last is None:
        return {"time_zone": "UTC"}
    zone = time_zone(last.time_zone)
    day = timedelta(days=1)
    try:
        starts, ends = at_venue(last.starts_at, zone) + day, at_venue(last.ends_at, zone) + day
    except OverflowError:  # a stop at the very end of the calendar, from before the bounds
        return {"time_zone": last.time_zone}
    return {
        "time_zone": last.time_zone,
        "starts_at": starts.strftime(LOCAL_FORMAT),
        "ends_at": ends.strftime(LOCAL_FORMAT),
    }


def _find(request: HttpRequest) -> list:
    """Candidates for the typed address and city, or [] with the reason in a message."""
    parts = (request.POST.get("address", ""), request.POST.get("city", ""))
    try:
        candidates = find_coordinates(", ".join(p.strip() for p in parts if p.strip()))
    except TourError as error:
        messages.error(request, str(error))
        return []
    if not candidates:
        messages.error(request, "The geocoder found no place at that address.")
    return candidates


@console_permission(MANAGE)
def stop_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _stop_page(request, _tour(slug), None)


@console_permission(MANAGE)
def stop_edit(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = _tour(slug)
    return _stop_page(request, found, _stop(found, stop_id))


@console_permission(MANAGE)
@require_POST
def stop_cancel(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = _tour(slug)
    stop = _stop(found, stop_id)
    cancelled = request.POST.get("cancelled", "1") == "1"
    try:
        cancel_stop(stop, request.user, cancelled)
    except TourError as error:
        _fail(request, error)
    else:
        done = "Cancelled" if cancelled else "Reinstated"
        messages.success(request, f"{done} the stop at {stop.venue}; its announcements follow.")
    return redirect("events-console:tour", found.slug)


@console_permission(MANAGE)
@require_POST
def stop_delete(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = _tour(slug)
    stop = _stop(found, stop_id)
    try:
        delete_stop(stop, request.user)
    except TourError as error:
        _fail(request, error)
    else:
        messages.success(request, f"Deleted the stop at {stop.venue}.")
    return redirect("events-console:tour", found.slug)


@console_permission(MANAGE)
@require_GET
def geocode(request: HttpRequest) -> JsonResponse:
    """The stop form's "find coordinates" button: candidates as JSON."""
    try:
        found = find_coordinates(request.GET.get("address", ""))
    except TourError as error:
        return JsonResponse({"error": str(error), "candidates": []}, status=400)
    return JsonResponse(
        {
            "candidates": [
                {"name": c.display_name, "lat": c.latitude, "lon": c.longitude} for c in found
            ]
        }
    )


# --- channels ------------------------------------------------------------------------------


@console_permission(MANAGE)
@require_GET
def channels(request: HttpRequest) -> HttpResponse:
    rows = Channel.objects.annotate(
        tour_count=Count("tours", distinct=True),
        sent=_count(Announcement, "channel", state=Announcement.State.SENT),
        unsent=_count(Announcement, "channel", state__in=UNSENT),
    ).order_by("name")
    listed = []
    for channel in rows:
        config = channel.config or {}
        where = config.get("instance") or config.get("url") or ""
        if channel.kind == Channel.Kind.BLUESKY:
            where = f"{config.get('handle', '')} on {config.get('service', '')}"
        secret = config.get("token") or config.get("app_password") or config.get("secret") or ""
        listed.append({"channel": channel, "where": where, "secret": masked(secret)})
    return render(request, "events/console/channels.html", {"section": SECTION, "channels": listed})


def _replan(channel: Channel) -> None:
    for tour in channel.tours.all():
        plan_tour(tour)


def _channel_page(request: HttpRequest, channel: Channel | None) -> HttpResponse:
    form = ChannelForm(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        was_enabled = channel.enabled if channel else None
        saved = form.save()
        if was_enabled is not None and was_enabled != saved.enabled:
            _replan(saved)
        messages.success(request, f"Saved the channel {saved.name}.")
        return redirect("events-console:channels")
    return render(
        request,
        "events/console/channel_form.html",
        {"section": SECTION, "form": form, "channel": channel},
    )


@console_permission(MANAGE)
def channel_new(request: HttpRequest) -> HttpResponse:
    return _channel_page(request, None)


@console_permission(MANAGE)
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    return _channel_page(request, get_object_or_404(Channel, pk=channel_id))


@console_permission(MANAGE)
@require_POST
def channel_toggle(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Disable a channel (its unsent announcements are cancelled) or enable it again
    (they are planned again)."""
    channel = get_object_or_404(Channel, pk=channel_id)
    channel.enabled = request.POST.get("enabled") == "1"
    channel.save(update_fields=["enabled"])
    _replan(channel)
    state = "enabled" if channel.enabled else "disabled"
    messages.success(request, f"{channel.name} is {state}; the tours' announcements follow.")
    return redirect("events-console:channels")


# --- announcements -------------------------------------------------------------------------


LIMITS = {Channel.Kind.MASTODON: MASTODON_LIMIT, Channel.Kind.BLUESKY: BLUESKY_LIMIT}


@console_permission(MANAGE)
@require_GET
def announcements(request: HttpRequest, slug: str) -> HttpResponse:
    found = _tour(slug)
    now = timezone.now()
    state = request.GET.get("state", "")
    if state not in Announcement.State.values:
        state = ""
    listed = (
        Announcement.objects.filter(stop__tour=found)
        .select_related("stop", "channel")
        .prefetch_related("attempt_log")
        .order_by("send_at", "stop__starts_at", "channel__name", "id")
    )
    counts = dict(
        Announcement.objects.filter(stop__tour=found)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    if state:
        listed = listed.filter(state=state)
    rows = []
    urls = {
        action: path_maker(f"events-console:announcement-{action}", found.slug)
        for action in ("edit", "cancel", "send")
    }
    for announcement in listed:
        zone = time_zone(announcement.stop.time_zone)
        rows.append(
            {
                "a": announcement,
                "urls": {action: make(announcement.pk) for action, make in urls.items()},
                "send_text": f"{announcement.send_at:%a %d %b %Y, %H:%M}",
                "local_send": f"{at_venue(announcement.send_at, zone):%H:%M}",
                "due": announcement.send_at <= now,
                "unsent": announcement.state in UNSENT,
                "problem": channel_limit_problem(announcement.channel.kind, announcement.text),
                "limit": LIMITS.get(announcement.channel.kind),
            }
        )
    return render(
        request,
        "events/console/announcements.html",
        {
            "section": SECTION,
            "tour": found,
            "rows": rows,
            "state": state,
            "states": [(v, label, counts.get(v, 0)) for v, label in Announcement.State.choices],
            "total": sum(counts.values()),
            "no_channels": not found.channels.filter(enabled=True).exists(),
        },
    )


def _announcement(slug: str, announcement_id: int) -> Announcement:
    return get_object_or_404(
        Announcement.objects.select_related("stop__tour", "channel"),
        pk=announcement_id,
        stop__tour__slug=slug,
    )


def _back_to_announcements(slug: str, announcement: Announcement) -> HttpResponse:
    response = redirect("events-console:announcements", slug)
    response["Location"] += f"#announcement-{announcement.pk}"
    return response


@console_permission(MANAGE)
@require_POST
def announcement_edit(request: HttpRequest, slug: str, announcement_id: int) -> HttpResponse:
    announcement = _announcement(slug, announcement_id)
    form = AnnouncementTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The text is empty or too long (at most 3,000 characters).")
        return _back_to_announcements(slug, announcement)
    try:
        edited = edit_announcement(announcement, request.user, form.cleaned_data["text"])
    except TourError as error:
        _fail(request, error)
    else:
        problem = channel_limit_problem(edited.channel.kind, edited.text)
        if problem:
            messages.error(request, f"Saved, but it will not go out like this: {problem}")
        else:
            messages.success(request, f"Saved the text for {edited.channel.name}.")
    return _back_to_announcements(slug, announcement)


@console_permission(MANAGE)
@require_POST
def announcement_cancel(request: HttpRequest, slug: str, announcement_id: int) -> HttpResponse:
    announcement = _announcement(slug, announcement_id)
    try:
        cancel_announcement(announcement, request.user)
    except TourError as error:
        _fail(request, error)
    else:
        messages.success(request, f"Cancelled: {announcement.channel.name} will not get it.")
    return _back_to_announcements(slug, announcement)


@console_permission(MANAGE)
@require_POST
def announcement_send(request: HttpRequest, slug: str, announcement_id: int) -> HttpResponse:
    announcement = _announcement(slug, announcement_id)
    try:
        sent = send_now(announcement, request.user)
    except TourError as error:
        _fail(request, error)
    else:
        if sent.state == Announcement.State.SENT:
            messages.success(request, f"Sent to {sent.channel.name}.")
        else:
            messages.error(request, f"Not sent ({sent.get_state_display()}): {sent.last_error}")
    return _back_to_announcements(slug, announcement)


# --- live ----------------------------------------------------------------------------------


@console_permission(MANAGE)
def live(request: HttpRequest) -> HttpResponse:
    """The phone page: post text and a photo to the stop that is live now."""
    now = timezone.now()
    stops = list(stops_of_today(now))
    chosen = None
    wanted = request.POST.get("stop") or request.GET.get("stop")
    if wanted and wanted.isdigit():
        chosen = next((s for s in stops if s.pk == int(wanted)), None)
    chosen = chosen or current_stop(stops, now)
    form = LiveUpdateForm(
        request.POST or None,
        request.FILES or None,
        stops=stops,
        initial={"stop": chosen.pk if chosen else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stop = next(s for s in stops if s.pk == data["stop"])
        try:
            update = post_live_update(
                stop,
                request.user,
                text=data["text"],
                photo=data["photo"],
                photo_alt=data["photo_alt"],
                cross_post=data["cross_post"],
                post_title=data["post_title"],
            )
        except TourError as error:
            form.add_error(None, str(error))
        else:
            done = "Posted"
            if update.blog_post_id:
                done += " and published on the blog"
            messages.success(request, f"{done}: it is on the stop's page now.")
            response = redirect("events-console:live")
            response["Location"] += f"?stop={stop.pk}"
            return response
    updates = []
    if chosen is not None:
        updates = list(
            chosen.updates.select_related("photo", "blog_post", "author")
            .prefetch_related("photo__renditions")
            .order_by("-created_at", "-id")
        )
    local = None
    if chosen is not None:
        zone = time_zone(chosen.time_zone)
        local = {
            "start": at_venue(chosen.starts_at, zone),
            "end": at_venue(chosen.ends_at, zone),
            "phase": chosen.phase(now),
        }
    return render(
        request,
        "events/console/live.html",
        {
            "section": SECTION,
            "form": form,
            "stops": stops,
            "stop": chosen,
            "local": local,
            "updates": updates,
            "can_blog": can_cross_post(request.user),
        },
    )


@console_permission(MANAGE)
@require_POST
def live_delete(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(LiveUpdate.objects.select_related("blog_post"), pk=update_id)
    stop_id = update.stop_id
    try:
        delete_live_update(update, request.user)
    except TourError as error:
        _fail(request, error)
    else:
        messages.success(request, "Deleted the update.")
    response = redirect("events-console:live")
    response["Location"] += f"?stop={stop_id}"
    return response


# --- comparison ----------------------------------------------------------------------------


@console_permission(MANAGE)
@require_GET
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    found = _tour(slug)
    rows = stop_feedback(found)
    searchable = can(request.user, "search_mentions")
    return render(
        request,
        "events/console/feedback.html",
        {
            "section": SECTION,
            "tour": found,
            "rows": rows,
            "total": tour_totals(rows),
            "chart": chart_data([r for r in rows if r.count]),
            "searchable": searchable,
            "latest": Feedback.objects.filter(stop__tour=found)
            .select_related("stop")
            .order_by("-created_at", "-id")[:20],
        },
    )


@console_permission(MANAGE)
@require_GET
def stop_feedback_list(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    """One stop's feedback, all of it or of one sentiment, 50 a page, each linking to its
    mention in the river (where it can be answered or taken into the inbox)."""
    found = _tour(slug)
    stop = _stop(found, stop_id)
    sentiment = request.GET.get("sentiment", "")
    status = 200
    if sentiment and sentiment not in FILTERS:
        messages.error(request, f"Show all feedback or one of: {', '.join(FILTERS)}.")
        sentiment, status = "", 400
    page = Paginator(feedback_of(stop, sentiment), FEEDBACK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "section": SECTION,
        "tour": found,
        "stop": stop,
        "sentiment": sentiment,
        "filters": FILTERS,
        "page": page,
        "searchable": can(request.user, "search_mentions"),
    }
    return render(request, "events/console/stop_feedback.html", context, status=status)
