"""The alerts page: the rules, what they fired, and a form for a new rule."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from earful.accounts.access import can, console_permission
from earful.river.models import Topic

from . import actions
from .models import Alert, AlertRule


def _number(value: str, kind: type, name: str):
    try:
        return kind(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number") from exc


@console_permission("view_dashboard")
def alerts(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _create(request)
    return render(
        request,
        "inbox/alerts.html",
        {
            "section": "alerts",
            "rules": AlertRule.objects.select_related("topic"),
            "fired": Alert.objects.select_related("rule")[:100],
            "topics": Topic.objects.order_by("name"),
            "metrics": AlertRule.Metric.choices,
            "buckets": AlertRule.Bucket.choices,
            "can_edit": can(request.user, "manage_topics"),
            "created": request.session.pop("alert_secret", None),
        },
    )


def _create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "manage_topics"):
        messages.error(request, "Your role cannot create alert rules.")
        return redirect("alerts")
    form = request.POST
    try:
        topic = None
        if form.get("topic"):
            topic = Topic.objects.filter(pk=_number(form["topic"], int, "topic")).first()
            if topic is None:
                raise ValueError("that topic does not exist")
        window = form.get("window", "").strip()
        rule = actions.create_alert_rule(
            form.get("name", ""), topic=topic, query=form.get("query", ""),
            metric=form.get("metric", "volume"), bucket=form.get("bucket", "hour"),
            window=_number(window, int, "window") if window else None,
            sigmas=_number(form.get("sigmas", "3") or "3", float, "sigmas"),
            min_count=_number(form.get("min_count", "10") or "10", int, "minimum count"),
            cooldown_minutes=_number(form.get("cooldown", "360") or "360", int, "cooldown"),
            email_to=form.get("email_to", ""), webhook_url=form.get("webhook_url", ""),
        )  # fmt: skip
    except ValueError as exc:
        messages.error(request, f"The rule was not created: {exc}")
        return redirect("alerts")
    messages.success(request, f"Created the alert rule {rule.name!r}.")
    if rule.webhook_secret:
        request.session["alert_secret"] = {"rule": rule.name, "secret": rule.webhook_secret}
    return redirect("alerts")


@require_POST
@console_permission("manage_topics")
def toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(AlertRule, pk=rule_id)
    AlertRule.objects.filter(pk=rule.pk).update(enabled=not rule.enabled)
    messages.success(request, f"{rule.name} is {'paused' if rule.enabled else 'on'}.")
    return redirect("alerts")
