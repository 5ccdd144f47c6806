"""The ambassador program's pages: what it is and where you stand (apply, report), a
report's page, the staff review of applications and reports, and the weekly tally.
Each view parses the request and calls actions/ambassadors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from earful.accounts.access import console_permission

from . import weekly
from .actions import ambassadors
from .ambassador_forms import ApplyForm, DecisionForm, ReportForm, WithdrawForm
from .errors import CommunityError
from .models import AmbassadorApplication, AmbassadorReport, Decision, Member
from .permissions import MANAGE, can_manage

MY_REPORTS = 50
RECENT_APPROVED = 10


@require_GET
def program(request: HttpRequest) -> HttpResponse:
    return _program(request)


def _program(
    request: HttpRequest,
    apply_form: ApplyForm | None = None,
    report_form: ReportForm | None = None,
) -> HttpResponse:
    user = request.user
    last_week = weekly.of_day(timezone.localdate()).shifted(-1)
    context = {
        "last_week": last_week,
        "last_winner": next(iter(weekly.tally(last_week)), None),
        "status": ambassadors.status_of(user),
        "apply_form": apply_form or ApplyForm(),
        "report_form": report_form or ReportForm(),
        "member": None,
        "application": None,
        "reports": [],
        "staff": can_manage(user),
        "this_week": weekly.of_day(timezone.localdate()),
        "recent": AmbassadorReport.objects.filter(state=Decision.APPROVED)
        .select_related("user", "product")
        .order_by("-decided_at", "-id")[:RECENT_APPROVED],
    }
    if user.is_authenticated:
        context["member"] = Member.objects.filter(user=user).first()
        context["application"] = AmbassadorApplication.objects.filter(user=user).first()
        context["reports"] = (
            AmbassadorReport.objects.filter(user=user)
            .select_related("product")
            .order_by("-created_at", "-id")[:MY_REPORTS]
        )
    bound = any(form is not None and form.is_bound for form in (apply_form, report_form))
    return render(
        request, "community/ambassadors/program.html", context, status=400 if bound else 200
    )


def _program_url() -> str:
    return reverse("community:ambassadors")


@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_program_url())
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _program(request, apply_form=form)
    try:
        ambassadors.apply(request.user, form.cleaned_data["motivation"])
    except CommunityError as exc:
        form.add_error(None, str(exc))
        return _program(request, apply_form=form)
    messages.success(request, "Thank you for applying; staff will answer soon.")
    return redirect(_program_url())


@require_POST
def submit_report(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_program_url())
    if ambassadors.status_of(request.user) != "ambassador":
        messages.error(request, "Only ambassadors submit reports; apply to join first.")
        return redirect(_program_url())
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _program(request, report_form=form)
    data = form.cleaned_data
    try:
        report = ambassadors.submit_report(
            request.user,
            place=data["place"],
            audience=data["audience"],
            said=data["said"],
            product=data["product"],
            happened_on=data["happened_on"],
            photo=data["photo"],
        )
    except CommunityError as exc:
        form.add_error(None, str(exc))
        return _program(request, report_form=form)
    messages.success(request, "Thank you: your report waits for staff.")
    return redirect(report.get_absolute_url())


@require_GET
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    """An approved report for everyone; a pending or rejected one for its ambassador and
    staff only."""
    found = get_object_or_404(
        AmbassadorReport.objects.select_related("user", "product", "decided_by"), pk=report_id
    )
    staff = can_manage(request.user)
    own = request.user.is_authenticated and found.user_id == request.user.pk
    if found.state != Decision.APPROVED and not (own or staff):
        raise Http404("No such report.")
    context = {
        "report": found,
        "staff": staff,
        "own": own,
        "decision_form": DecisionForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "community/ambassadors/report.html", context)


@require_GET
@console_permission(MANAGE)
def review(request: HttpRequest) -> HttpResponse:
    context = {
        "applications": AmbassadorApplication.objects.filter(state=Decision.PENDING)
        .select_related("user", "user__member")
        .order_by("created_at", "id"),
        "reports": AmbassadorReport.objects.filter(state=Decision.PENDING)
        .select_related("user", "product")
        .order_by("created_at", "id"),
        "decided": AmbassadorReport.objects.exclude(state=Decision.PENDING)
        .select_related("user", "decided_by")
        .order_by("-decided_at", "-id")[:30],
        "ambassadors": Member.objects.filter(is_ambassador=True)
        .select_related("user")
        .order_by("user__username"),
    }
    return render(request, "community/ambassadors/review.html", context)


def _review_url() -> str:
    return reverse("community:ambassador_review")


@require_POST
@console_permission(MANAGE)
def decide_application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        AmbassadorApplication.objects.select_related("user"), pk=application_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return redirect(_review_url())
    approve = form.cleaned_data["decision"] == "approve"
    try:
        ambassadors.decide_application(
            application, request.user, approve, form.cleaned_data["reason"]
        )
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        verb = "is an ambassador now" if approve else "was not accepted"
        messages.success(request, f"{application.user.get_username()} {verb}.")
    return redirect(_review_url())


@require_POST
@console_permission(MANAGE)
def decide_report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = get_object_or_404(AmbassadorReport.objects.select_related("user"), pk=report_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return redirect(_review_url())
    approve = form.cleaned_data["decision"] == "approve"
    try:
        ambassadors.decide_report(found, request.user, approve, form.cleaned_data["reason"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Report {found.pk} {'approved' if approve else 'rejected'}.")
    if request.POST.get("back") == "report":
        return redirect(found.get_absolute_url())
    return redirect(_review_url())


@require_POST
@console_permission(MANAGE)
def withdraw_report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = get_object_or_404(AmbassadorReport.objects.select_related("user"), pk=report_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for withdrawing the report.")
        return redirect(found.get_absolute_url())
    try:
        ambassadors.withdraw_report(found, request.user, form.cleaned_data["reason"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Report {found.pk} withdrawn; its points are taken back.")
    return redirect(found.get_absolute_url())


@require_POST
@console_permission(MANAGE)
def end_ambassadorship(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("user"), user_id=user_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for ending the ambassadorship.")
        return redirect(_review_url())
    try:
        ambassadors.end_ambassadorship(member.user, request.user, form.cleaned_data["reason"])
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.user.get_username()} is no longer an ambassador.")
    return redirect(_review_url())


@require_GET
def week(request: HttpRequest) -> HttpResponse:
    try:
        shown = weekly.parse_week(request.GET.get("week"))
    except ValueError as exc:
        this = weekly.of_day(timezone.localdate())
        context = {"error": str(exc), "week": this, "rows": [], "winner": None}
        return render(request, "community/ambassadors/week.html", context, status=400)
    rows = weekly.tally(shown)
    this = weekly.of_day(timezone.localdate())
    context = {
        "week": shown,
        "rows": rows,
        "winner": rows[0] if rows else None,
        "over": weekly.is_over(shown),
        "previous": shown.shifted(-1),
        "next": shown.shifted(1) if shown.monday < this.monday else None,
        "error": "",
    }
    return render(request, "community/ambassadors/week.html", context)
