"""The notices' pages: unsubscribing from board mail (the signed link in every message), and
the staff's log on the idea page with its two actions, "answered by hand" and "send what is
missing".

The unsubscribe URL takes a GET (a page that asks, so that link scanners unsubscribe nobody)
and a POST: the page's button, or a mail program's RFC 8058 one-click POST
(`List-Unsubscribe=One-Click`). The signed token is the credential, so that POST needs no
CSRF token and no session; a forged or damaged token changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from earful.accounts.access import console_permission

from . import notify_email
from .actions.notices import NoticeError, mark_answered
from .models import Idea, Notice, StatusChange, Unsubscribe
from .permissions import MANAGE

ONE_CLICK = "One-Click"


def _unsubscribe_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, "board/notify/unsubscribe.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, idea_id = notify_email.read_token(token)
    except notify_email.BadToken as exc:
        return _unsubscribe_page(request, {"error": str(exc)}, status=400)
    person = get_user_model().objects.filter(pk=user_id).first()
    idea = Idea.objects.filter(pk=idea_id).first() if idea_id is not None else None
    if person is None or (idea_id is not None and idea is None):
        error = "The account or the idea of this link is gone."
        return _unsubscribe_page(request, {"error": error}, status=404)
    one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
    done = ""
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            notify_email.resubscribe(person, idea)
            done = "resubscribed"
        else:
            notify_email.unsubscribe(person, idea)
            done = "unsubscribed"
        if one_click:  # a mail program, not a person: a short answer is all it reads
            return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
    context = {
        "person": person,
        "idea": idea,
        "done": done,
        "unsubscribed": Unsubscribe.objects.filter(user=person, idea=idea).exists(),
    }
    return _unsubscribe_page(request, context)


@require_POST
@console_permission(MANAGE)
def notice_done(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Staff answered a "by hand" notice themselves."""
    notice = get_object_or_404(Notice, pk=notice_id)
    try:
        mark_answered(notice, request.user)
    except NoticeError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('board:idea', args=[notice.idea_id])}#notices")


@require_POST
@console_permission(MANAGE)
def send_missing(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Queue the idea's status changes again: what failed or was never sent goes out,
    nothing twice."""
    from .tasks import queue_notices

    idea = get_object_or_404(Idea, pk=idea_id)
    changes = StatusChange.objects.filter(idea=idea).order_by("at", "id")
    for change in changes:
        queue_notices(change)
    messages.success(request, "The notices not sent yet are on their way.")
    return redirect(f"{idea.get_absolute_url()}#notices")


# --- the staff's log on the idea page -----------------------------------------------------


def notice_log(idea: Idea) -> list[dict]:
    """The idea's notices grouped by status change, newest change first, for
    board/_notices.html: [{"change", "notices", "counts", "to_do", "unsent"}]."""
    notices = (
        Notice.objects.filter(idea=idea)
        .select_related("user", "mention__author", "mention__source")
        .order_by("status_change_id", "channel", "id")
    )
    groups: dict[int, dict] = {}
    for notice in notices:
        group = groups.setdefault(
            notice.status_change_id,
            {"notices": [], "counts": {}, "to_do": 0, "unsent": 0},
        )
        group["notices"].append(notice)
        label = notice.get_state_display()
        if notice.channel == Notice.Channel.BY_HAND and notice.state == Notice.State.PENDING:
            label = "to do"
            group["to_do"] += 1
        elif notice.state in (Notice.State.PENDING, Notice.State.FAILED, Notice.State.SENDING):
            group["unsent"] += 1
        notice.state_label = label
        group["counts"][label] = group["counts"].get(label, 0) + 1
    changes = StatusChange.objects.filter(pk__in=groups).select_related("from_status", "to_status")
    for change in changes:
        groups[change.pk]["change"] = change
    return [
        {**group, "counts": sorted(group["counts"].items())}
        for _, group in sorted(
            groups.items(), key=lambda item: (item[1]["change"].at, item[0]), reverse=True
        )
    ]
