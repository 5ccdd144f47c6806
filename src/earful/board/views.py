"""The public board's pages: the searchable list, an idea, the roadmap, and the similar
ideas a draft brings up. Anyone may read; the forms post to post_views."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .actions.follows import follows
from .actions.votes import refusal
from .comment_html import render_comments
from .forms import CommentForm, FilterForm, MergeForm, StatusForm
from .models import Category, Evidence, Idea, IdeaComment, Merge, StatusChange, Vote
from .notify_views import notice_log
from .permissions import can_manage
from .queries import SORTS, BoardFilter, filtered_ideas, roadmap
from .similar import similar_ideas
from .voices import best_quotes, voices

PER_PAGE = 20
STAFF_EVIDENCE = 200
MAX_SIMILAR_DRAFT = 5_000


def index(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    board_filter = BoardFilter()
    if form.is_valid():
        data = form.cleaned_data
        board_filter = BoardFilter(
            text=data["q"],
            status=data["status"],
            category=data["category"],
            sort=data["sort"] or "newest",
        )
    ideas = filtered_ideas(board_filter)
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    voted = set()
    if request.user.is_authenticated:
        voted = set(
            Vote.objects.filter(user=request.user, idea__in=[i.pk for i in page]).values_list(
                "idea_id", flat=True
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "voted": voted,
        "sorts": SORTS,
        "sort": board_filter.sort,
        "errors": board_filter.errors,
        "querystring": query.urlencode(),
        "categories": Category.objects.all(),
    }
    status = 400 if form.errors or board_filter.errors else 200
    return render(request, "board/index.html", context, status=status)


def visible_idea(request: HttpRequest, idea_id: int) -> Idea:
    """The idea if this reader may see it: live ideas for everyone, a held one for its
    author and staff, a removed one for staff only."""
    ideas = Idea.objects.select_related("status", "category", "author")
    idea = get_object_or_404(ideas, pk=idea_id)
    if idea.state == Idea.State.PUBLISHED or can_manage(request.user):
        return idea
    if idea.state == Idea.State.HELD and idea.author_id == request.user.pk:
        return idea
    raise Http404("No such idea.")


def idea(
    request: HttpRequest,
    idea_id: int,
    comment_form: CommentForm | None = None,
    status_form: StatusForm | None = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    shown = visible_idea(request, idea_id)
    if shown.merged_into_id is not None:
        return redirect("board:idea", shown.merged_into_id, permanent=True)
    staff = can_manage(request.user)
    signed_in = request.user.is_authenticated
    comments = (
        IdeaComment.objects.filter(idea=shown, status=IdeaComment.Status.PUBLISHED)
        .annotate(writer=Coalesce(F("user__username"), Value("(deleted user)")))
        .order_by("created_at", "id")
        .values_list("id", "body_html", "staff", "created_at", "writer", named=True)
    )
    held_comments = []
    if staff:
        held_comments = list(
            IdeaComment.objects.filter(idea=shown, status=IdeaComment.Status.PENDING)
            .select_related("user")
            .order_by("created_at")
        )
    history = StatusChange.objects.filter(idea=shown).select_related("from_status", "to_status")
    merges = Merge.objects.filter(survivor=shown)
    evidence = []
    if staff:
        evidence = (
            Evidence.objects.filter(idea=shown)
            .select_related("mention__source", "mention__author")
            .order_by("-quote", "-linked_at")[:STAFF_EVIDENCE]
        )
    alike = similar_ideas(shown.title, shown.body, exclude=shown.pk, limit=3)
    context = {
        "idea": shown,
        "comments_html": render_comments(comments),
        "held_comments": held_comments,
        "history": sorted([*history, *merges], key=lambda h: (h.at, h.pk), reverse=True),
        "voted": signed_in and Vote.objects.filter(idea=shown, user=request.user).exists(),
        "following": follows(shown, request.user),
        "vote_refusal": refusal(shown),
        "staff": staff,
        "comment_form": comment_form or CommentForm(),
        "status_form": status_form or StatusForm(initial={"status": shown.status}),
        "similar": alike,
        "voices": voices(shown),
        "quotes": best_quotes(shown),
        "evidence": evidence,
        "merge_form": merge_form or MergeForm(),
        "notice_log": notice_log(shown) if staff else [],
    }
    forms = (comment_form, status_form, merge_form)
    bound = any(form is not None and form.is_bound for form in forms)
    return render(request, "board/idea.html", context, status=400 if bound else 200)


def roadmap_page(request: HttpRequest) -> HttpResponse:
    return render(request, "board/roadmap.html", {"columns": roadmap()})


@require_GET
def similar(request: HttpRequest) -> JsonResponse:
    """Ideas like the draft in ?title=&body=, for the submit form to show before posting."""
    title = request.GET.get("title", "")[:MAX_SIMILAR_DRAFT]
    body = request.GET.get("body", "")[:MAX_SIMILAR_DRAFT]
    matches = [
        {
            "id": s.idea.pk,
            "title": s.idea.title,
            "url": s.idea.get_absolute_url(),
            "status": s.idea.status.name,
            "votes": s.idea.vote_count,
            "score": s.score,
            "note": f"{s.idea.status.name} · {s.idea.vote_count} vote"
            + ("" if s.idea.vote_count == 1 else "s"),
        }
        for s in similar_ideas(title, body)
    ]
    return JsonResponse({"matches": matches})
