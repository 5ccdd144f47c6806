"""The console's "Link to idea": staff who manage ideas link a river mention (any channel)
to the idea it raises, from the mention page or the inbox item page (the include
board/console/_evidence.html), pin it as a best quote, or unlink it. The chooser page finds
ideas by number ("#12") or by words of the title."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from earful.accounts.access import console_permission
from earful.river.models import Mention

from ..actions.evidence import link_evidence, mark_quote, unlink_evidence
from ..actions.ideas import IdeaError
from ..models import Evidence, Idea
from ..permissions import MANAGE
from ..similar import similar_ideas

FOUND = 20
MAX_QUERY = 200
MAX_WORDS = 8
NUMBER = re.compile(r"^#?\s*(\d{1,12})$")


def find_ideas(query: str) -> list[Idea]:
    """Ideas staff may link to, by number or by every word in the title; most votes first."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    ideas = Idea.objects.exclude(state=Idea.State.REMOVED).filter(merged_into__isnull=True)
    ideas = ideas.select_related("status")
    match = NUMBER.match(query)
    if match:
        return list(ideas.filter(pk=int(match.group(1))))
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        condition &= Q(title__icontains=word)
    return list(ideas.filter(condition).order_by("-vote_count", "-created_at")[:FOUND])


def suggested_ideas(mention: Mention, linked: set[int], limit: int = 3) -> list[Idea]:
    """Live ideas like the mention's text that it is not linked to yet."""
    found = similar_ideas(mention.title, mention.text, limit=limit + len(linked) + 1)
    ideas = [s.idea for s in found if s.idea.pk not in linked and s.idea.mention_id != mention.pk]
    return ideas[:limit]


def _back(request: HttpRequest, mention: Mention) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("console-mention", args=[mention.pk])
    return redirect(target)


def _idea_from_post(request: HttpRequest) -> Idea | None:
    number = request.POST.get("idea", "")
    return Idea.objects.filter(pk=int(number)).first() if number.isdigit() else None


@require_GET
@console_permission(MANAGE)
def choose(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention.objects.select_related("source", "author"), pk=mention_id)
    query = request.GET.get("q", "")
    linked = set(Evidence.objects.filter(mention=mention).values_list("idea_id", flat=True))
    context = {
        "mention": mention,
        "q": query[:MAX_QUERY],
        "found": find_ideas(query),
        "suggested": [] if query.strip() else suggested_ideas(mention, linked, limit=5),
        "linked": linked,
        "next": request.GET.get("next", ""),
        "section": "search",
    }
    return render(request, "board/console/evidence.html", context)


@require_POST
@console_permission(MANAGE)
def link(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention, pk=mention_id)
    idea = _idea_from_post(request)
    if idea is None:
        messages.error(request, "Choose an idea to link this mention to.")
        return _back(request, mention)
    try:
        created = link_evidence(idea, mention, request.user, quote=request.POST.get("quote") == "1")
    except IdeaError as exc:
        messages.error(request, str(exc))
    else:
        verb = "Linked" if created else "Already linked"
        messages.success(request, f"{verb} to idea #{idea.pk}: {idea.title}")
    return _back(request, mention)


@require_POST
@console_permission(MANAGE)
def unlink(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention, pk=mention_id)
    idea = _idea_from_post(request)
    if idea is not None and unlink_evidence(idea, mention, request.user):
        messages.success(request, f"Unlinked from idea #{idea.pk}.")
    else:
        messages.error(request, "This mention was not linked to that idea.")
    return _back(request, mention)


@require_POST
@console_permission(MANAGE)
def quote(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention, pk=mention_id)
    idea = _idea_from_post(request)
    pin = request.POST.get("pin") == "1"
    try:
        done = idea is not None and mark_quote(idea, mention, request.user, pin)
    except IdeaError as exc:
        messages.error(request, str(exc))
    else:
        if done:
            messages.success(request, "Pinned as a best quote." if pin else "Unpinned.")
        else:
            messages.error(request, "This mention is not linked to that idea.")
    return _back(request, mention)
