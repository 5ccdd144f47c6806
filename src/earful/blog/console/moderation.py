"""The moderation queue: held comments with the reasons they were held, spam, linkbacks
waiting for a decision, and the recent log. Each POST approves, marks as spam or removes
one item or the checked ones; the rules live in blog/actions/comments.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from earful.accounts.access import can, console_permission

from ..actions.comments import CommentError, moderate_comments
from ..actions.linkbacks import LinkbackError, moderate_linkback
from ..models import Comment, Linkback, ModerationLog

PAGE_SIZE = 50
LOG_SIZE = 30
MAX_IDS = 1000
ACTIONS = {"approve": "Approved", "spam": "Marked as spam", "remove": "Removed"}
TABS = {
    "held": "Held comments",
    "spam": "Spam comments",
    "linkbacks": "Linkbacks",
}
HELD_LINKBACKS = (Linkback.Status.PENDING, Linkback.Status.SPAM)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:MAX_IDS]


def _tab_items(tab: str):
    if tab == "linkbacks":
        return (
            Linkback.objects.filter(status__in=HELD_LINKBACKS)
            .select_related("post")
            .order_by("-received_at", "-id")
        )
    status = Comment.Status.SPAM if tab == "spam" else Comment.Status.PENDING
    return (
        Comment.objects.filter(status=status)
        .select_related("post", "parent", "user")
        .order_by("-created_at", "-id")
    )


def _tab_counts() -> dict[str, int]:
    comments = dict(
        Comment.objects.filter(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "held": comments.get(Comment.Status.PENDING, 0),
        "spam": comments.get(Comment.Status.SPAM, 0),
        "linkbacks": Linkback.objects.filter(status__in=HELD_LINKBACKS).count(),
    }


@console_permission("moderate_comments")
def moderation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _moderate(request)
    tab = request.GET.get("show", "held")
    if tab not in TABS:
        tab = "held"
    counts = _tab_counts()
    log = ModerationLog.objects.select_related("comment__post", "linkback__post", "user")
    return render(
        request,
        "blog/console/moderation.html",
        {
            "section": "moderation",
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
            "page": Paginator(_tab_items(tab), PAGE_SIZE).get_page(request.GET.get("page")),
            "actions": ACTIONS,
            "log": log[:LOG_SIZE],
            "can_edit_posts": can(request.user, "write_posts"),
            "here": request.get_full_path(),
        },
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("blog-console:moderation")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _moderate(request: HttpRequest) -> HttpResponse:
    back = _back(request)
    kind = request.POST.get("kind", "")
    one = request.POST.get("one", "")
    if one:  # a row's own button: "<id>:<action>"
        id_text, _, action = one.partition(":")
        ids = _ids([id_text])
    else:
        ids = _ids(request.POST.getlist("ids"))
        action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, f"Unknown action “{action[:30]}”: use approve, spam or remove.")
        return redirect(back)
    if not ids:
        messages.error(request, "Select at least one item first.")
        return redirect(back)
    try:
        if kind == "comment":
            done, word = moderate_comments(ids, action, request.user), "comment"
        elif kind == "linkback":
            done, refused = _moderate_linkbacks(ids, action, request.user)
            word = "linkback"
            for problem in refused:
                messages.error(request, problem)
        else:
            messages.error(request, f"Unknown kind of item “{kind[:30]}”.")
            return redirect(back)
    except CommentError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    missing = len(set(ids)) - done - (len(refused) if kind == "linkback" else 0)
    if done:
        messages.success(request, f"{ACTIONS[action]}: {_plural(done, word)}.")
    if missing:
        messages.error(request, f"{_plural(missing, word)} not found (deleted, or not a {word}).")
    return redirect(back)


def _moderate_linkbacks(ids: list[int], action: str, user) -> tuple[int, list[str]]:
    """Moderate each linkback; one that cannot take the action is left as it was."""
    done, refused = 0, []
    for linkback in Linkback.objects.filter(pk__in=ids).select_related("post"):
        try:
            moderate_linkback(linkback, action, user)
        except LinkbackError as exc:
            refused.append(f"{linkback.source_url[:80]}: {exc}")
        else:
            done += 1
    return done, refused
