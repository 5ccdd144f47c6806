"""The sources page: what Earful listens to, how each source is doing, adding new ones."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from earful.accounts.access import console_permission

from .. import actions
from ..models import DailyCount, Source
from ..rollups import ALL_TOPICS
from ..tasks import poll_source_task

# What the main field of the form means for each kind, and the extra settings it takes.
TARGETS = {
    "feed": ("url", "Feed URL", ()),
    "mastodon": ("instance", "Instance URL", ("hashtag", "account")),
    "bluesky": ("query", "Search query", ()),
    "hackernews": ("query", "Search query", ()),
    "reddit": ("query", "Search query", ("subreddit",)),
}


@console_permission("manage_sources")
def sources(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _add(request)
    counts = dict(
        DailyCount.objects.filter(topic_id=ALL_TOPICS)
        .values_list("source_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    rows = [(source, counts.get(source.id, 0)) for source in Source.objects.order_by("name")]
    return render(
        request,
        "river/sources.html",
        {"section": "sources", "rows": rows, "targets": TARGETS},
    )


def _add(request: HttpRequest) -> HttpResponse:
    form = request.POST
    kind = form.get("kind", "")
    if kind not in TARGETS:
        messages.error(request, f"Choose what to listen to: {', '.join(TARGETS)}.")
        return redirect("console-sources")
    field, _, extras = TARGETS[kind]
    target = form.get("target", "").strip()
    config = {field: target}
    for extra in extras:
        if form.get(extra, "").strip():
            config[extra] = form[extra].strip()
    every = form.get("every", "").strip()
    try:
        if every and not every.isdigit():
            raise ValueError("the interval is a whole number of minutes")
        source = actions.create_source(
            kind, form.get("name", "").strip() or target, config, int(every) if every else None
        )
    except ValueError as exc:
        messages.error(request, f"The source was not added: {exc}")
        return redirect("console-sources")
    messages.success(request, f"Added {source.name}; its first poll is queued.")
    return redirect("console-sources")


@require_POST
@console_permission("manage_sources")
def source_action(request: HttpRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_id)
    action = request.POST.get("action", "")
    if action in ("pause", "resume"):
        actions.set_source_enabled(source, action == "resume")
        messages.success(request, f"{source.name} is {'on' if action == 'resume' else 'paused'}.")
    elif action == "poll" and source.kind in Source.POLLED_KINDS and source.enabled:
        poll_source_task.enqueue(source.id)
        messages.success(request, f"A poll of {source.name} is queued.")
    else:
        messages.error(request, "That cannot be done to this source.")
    return redirect("console-sources")
