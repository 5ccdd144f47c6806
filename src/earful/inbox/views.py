"""The inbox pages: the queue with bulk actions, and one item with everything a responder
does to it. Each POST names one action; the rules live in actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from earful.accounts.access import console_permission
from earful.river.models import Mention, Topic
from earful.river.views.mention import mention_context

from . import actions
from .models import Tag, Triage
from .queue import OPEN_STATUSES, UnknownAssignee, person, queue_items

PAGE_SIZE = 50


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:1000]


def queue_filters(request: HttpRequest) -> tuple[dict, object]:
    """The queue's filters from the query string, and the matching items."""
    statuses = [s for s in request.GET.getlist("status") if s in Triage.Status.values]
    statuses = statuses or OPEN_STATUSES
    assignee = request.GET.get("assignee", "any")
    reason = request.GET.get("reason", "")
    try:
        items = queue_items(statuses, assignee, reason, request.user)
    except UnknownAssignee:  # a hand-edited link: show everyone's
        items = queue_items(statuses, "any", reason, request.user)
    tag = request.GET.get("tag", "")
    if tag:
        items = items.filter(tags__name=tag)
    sort = request.GET.get("sort", "newest")
    order = {"newest": ("-published_at", "-id"), "oldest": ("published_at", "id")}.get(sort)
    items = items.order_by(*(order or ("-reach", "-published_at")))
    chosen = {"statuses": statuses, "assignee": assignee, "reason": reason, "tag": tag,
              "sort": sort if order or sort == "reach" else "newest"}  # fmt: skip
    return chosen, items


@console_permission("triage_inbox")
def queue(request: HttpRequest) -> HttpResponse:
    chosen, items = queue_filters(request)
    page = Paginator(
        items.select_related("mention__source", "mention__author", "assignee").prefetch_related(
            "tags"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    counts = {
        status: Triage.objects.filter(status=status).count() for status in Triage.Status.values
    }
    return render(
        request,
        "inbox/queue.html",
        {
            "section": "inbox",
            "page": page,
            "chosen": chosen,
            "counts": counts,
            "statuses": Triage.Status.values,
            "responders": actions.responders().order_by("username"),
            "tags": Tag.objects.all(),
            "here": request.get_full_path(),
        },
    )


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_POST
@console_permission("triage_inbox")
def bulk(request: HttpRequest) -> HttpResponse:
    ids = _ids(request.POST.getlist("ids"))
    action, value = request.POST.get("action", ""), request.POST.get("value", "")
    back = _back(request, reverse("inbox"))
    if not ids:
        messages.error(request, "Select at least one item first.")
        return redirect(back)
    try:
        if action == "status":
            changed = actions.set_status(ids, value)
        elif action == "assign":
            changed = actions.assign(ids, person(value, request.user))
        elif action == "tag":
            actions.add_tag(ids, value)
            changed = len(ids)
        else:
            raise ValueError(f"unknown action {action[:20]!r}")
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"Updated {changed} item{'s' if changed != 1 else ''}.")
    return redirect(back)


@console_permission("triage_inbox")
def item(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention.objects.select_related("author", "source"), pk=mention_id)
    if request.method == "POST":
        return _act(request, mention)
    triage = Triage.objects.filter(mention=mention).prefetch_related("tags").first()
    context = mention_context(mention)
    context.update(
        {
            "section": "inbox",
            "triage": triage,
            "notes": triage.notes.select_related("author") if triage else [],
            "replies_sent": triage.replies.select_related("author") if triage else [],
            "corrections": mention.corrections.select_related("user", "topic"),
            "statuses": Triage.Status.values,
            "responders": actions.responders().order_by("username"),
            "all_topics": Topic.objects.order_by("name"),
            "sentiments": Mention.Sentiment.values,
        }
    )
    return render(request, "inbox/item.html", context)


def _act(request: HttpRequest, mention: Mention) -> HttpResponse:
    action = request.POST.get("action", "")
    here = reverse("inbox-item", args=[mention.id])
    try:
        if action == "take_in":
            actions.take_in(mention)
            done = "Taken into the inbox."
        elif action == "sentiment":
            corrected = actions.correct_sentiment(mention, request.POST.get("sentiment", ""),
                                                  request.user)  # fmt: skip
            done = "Sentiment corrected." if corrected else "The sentiment was already that."
        elif action == "topics":
            chosen = set(_ids(request.POST.getlist("topics")))
            current = set(mention.topics.values_list("id", flat=True))
            actions.correct_topics(
                mention,
                add=Topic.objects.filter(id__in=chosen - current),
                remove=Topic.objects.filter(id__in=current - chosen),
                user=request.user,
            )
            done = "Topics corrected."
        else:
            done = actions.act_on(
                actions.take_in(mention), request.user, action,
                request.POST.get("value", ""), request.POST.get("text", ""),
            )  # fmt: skip
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(here)
    messages.success(request, done)
    if action == "reply" and request.POST.get("then") == "next":
        return redirect(_next_in_queue(mention) or reverse("inbox"))
    return redirect(here)


def _next_in_queue(mention: Mention) -> str | None:
    """The item after this one in the default queue (open items, newest first)."""
    this = Triage.objects.filter(mention=mention).values("published_at", "id").first()
    if this is None:
        return None
    later = Q(published_at__lt=this["published_at"]) | Q(
        published_at=this["published_at"], id__lt=this["id"]
    )
    following = (
        Triage.objects.filter(later, status__in=OPEN_STATUSES)
        .order_by("-published_at", "-id")
        .values_list("mention_id", flat=True)
        .first()
    )
    return reverse("inbox-item", args=[following]) if following else None
