"""The flag button's endpoint and the moderators' review queue (flagged, held, spam, log)
with single and bulk actions, flag verdicts and suspensions. Each view parses the
request and calls actions/moderation, which holds the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .actions import moderation
from .errors import CommunityError, NotFound
from .models import Flag, Member, ModerationLog, State
from .moderation_forms import (
    ACTION_LABELS,
    AdjustForm,
    FlagForm,
    LiftForm,
    ReviewForm,
    SuspendForm,
)
from .permissions import can_manage
from .review_queue import flagged_items, held_items

TABS = {"flagged": "Flagged and hidden", "held": "Held", "spam": "Spam", "log": "Log"}
LOG_PER_PAGE = 50


def _moderator(request: HttpRequest) -> HttpResponse | None:
    """A login redirect for visitors, 403 for members who do not moderate, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not moderation.is_moderator(request.user):
        raise PermissionDenied("Only moderators see the review queue.")
    return None


def _back(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


# -- the flag button ---------------------------------------------------------------------


@require_POST
def flag(request: HttpRequest, kind: str, post_id: int) -> HttpResponse:
    """Flag a question, answer or comment (reason, note), then back to where it was."""
    try:
        post = moderation.find_post(kind, post_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    if post.state != State.PUBLISHED and not moderation.is_moderator(request.user):
        raise Http404("There is no such post.")
    back = _back(request, post.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = FlagForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"The flag was not sent: {errors}")
        return redirect(back)
    try:
        moderation.flag_post(
            request.user, post, form.cleaned_data["reason"], form.cleaned_data["note"]
        )
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you: moderators will look at this post.")
    return redirect(back)


# -- the queue ---------------------------------------------------------------------------


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    refused = _moderator(request)
    if refused:
        return refused
    tab = request.GET.get("tab", "flagged")
    if tab not in TABS:
        tab = "flagged"
    flagged = flagged_items()
    held, spam = held_items()
    counts = {"flagged": len(flagged), "held": len(held), "spam": len(spam)}
    context = {
        "tab": tab,
        "tabs": [(key, name, counts.get(key)) for key, name in TABS.items()],
        "items": {"flagged": flagged, "held": held, "spam": spam}.get(tab, []),
        "actions": ACTION_LABELS,
        "staff": can_manage(request.user),
        "suspend_form": SuspendForm(),
        "suspended": [],
        "log": None,
    }
    if tab == "log":
        entries = ModerationLog.objects.select_related("actor")
        context["log"] = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    if context["staff"]:
        context["suspended"] = (
            Member.objects.filter(suspended_until__gt=timezone.now())
            .select_related("user")
            .order_by("suspended_until")
        )
    return render(request, "community/moderation/review.html", context)


def _queue_url(request: HttpRequest) -> str:
    """Back to the queue's tab, or to the page the form was on (a question's Hide button)."""
    tab = request.POST.get("tab", "")
    url = reverse("community:review")
    return _back(request, f"{url}?tab={tab}" if tab in TABS else url)


@require_POST
def act(request: HttpRequest) -> HttpResponse:
    refused = _moderator(request)
    if refused:
        return refused
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The review form was not filled in right.")
        return redirect(_queue_url(request))
    action, targets = form.chosen()
    reason = form.cleaned_data["reason"]
    if not action or not targets:
        messages.error(request, "Tick at least one post and choose what to do.")
        return redirect(_queue_url(request))
    try:
        result = moderation.act_on_many(targets, request.user, action, reason)
    except CommunityError as exc:
        messages.error(request, str(exc))
        return redirect(_queue_url(request))
    if result.done:
        messages.success(request, f"{ACTION_LABELS[action]}: {result.done} post(s).")
    for refusal in result.refused:
        messages.error(request, refusal)
    return redirect(_queue_url(request))


@require_POST
def resolve_flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    refused = _moderator(request)
    if refused:
        return refused
    found = get_object_or_404(Flag.objects.select_related("user"), pk=flag_id)
    outcome = request.POST.get("outcome", "")
    if outcome not in (Flag.Outcome.HELPFUL, Flag.Outcome.DECLINED):
        messages.error(request, "Say whether the flag was helpful or declined.")
        return redirect(_queue_url(request))
    try:
        moderation.resolve_flag(
            found,
            request.user,
            outcome == Flag.Outcome.HELPFUL,
            request.POST.get("reason", "")[:1000],
        )
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Flag by {found.user.get_username()}: {found.outcome}.")
    return redirect(_queue_url(request))


def _staff(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("community:review"))
    if not can_manage(request.user):
        raise PermissionDenied("Only staff suspend members.")
    return None


@require_POST
def suspend(request: HttpRequest) -> HttpResponse:
    refused = _staff(request)
    if refused:
        return refused
    form = SuspendForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"Nobody was suspended: {errors}")
        return redirect(_queue_url(request))
    data = form.cleaned_data
    user = get_user_model().objects.filter(username=data["username"]).first()
    if user is None:
        messages.error(request, f"There is no member called {data['username']}.")
        return redirect(_queue_url(request))
    try:
        member = moderation.suspend(user, request.user, data["days"], data["reason"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        until = timezone.localtime(member.suspended_until).strftime("%Y-%m-%d %H:%M")
        messages.success(request, f"{user.get_username()} is suspended until {until}.")
    return redirect(_queue_url(request))


@require_POST
def lift(request: HttpRequest) -> HttpResponse:
    refused = _staff(request)
    if refused:
        return refused
    form = LiftForm(request.POST)
    user = None
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
    if user is None:
        messages.error(request, "There is no such member.")
        return redirect(_queue_url(request))
    try:
        moderation.lift_suspension(user, request.user, form.cleaned_data["reason"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{user.get_username()} may post again.")
    return redirect(_queue_url(request))


@require_POST
def adjust(request: HttpRequest) -> HttpResponse:
    """A staff correction of a member's points, from their profile; back to it after."""
    refused = _staff(request)
    if refused:
        return refused
    form = AdjustForm(request.POST)
    username = request.POST.get("username", "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    profile = reverse("community:profile", args=[username]) if user else None
    back = _back(request, profile or _queue_url(request))
    if user is None:
        messages.error(request, "There is no such member.")
        return redirect(back)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"The points did not change: {errors}")
        return redirect(back)
    data = form.cleaned_data
    try:
        member = moderation.adjust_points(user, request.user, data["points"], data["note"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{username}: {data['points']:+d} points, {member.points} in all."
        )
    return redirect(back)
