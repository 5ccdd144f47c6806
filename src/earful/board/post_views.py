"""The board's forms: post an idea, vote, follow, comment, and (staff) change a status or
moderate. Each parses the request and calls an action; the rules live in actions/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from earful.accounts.access import console_permission

from . import views
from .actions.comments import CommentError, comment_on_idea, moderate_comment
from .actions.follows import follow, unfollow
from .actions.ideas import IdeaError, moderate_idea, submit_idea
from .actions.merge import merge_ideas
from .actions.statuses import change_status
from .actions.votes import unvote, vote
from .forms import CommentForm, IdeaForm, MergeForm, StatusForm
from .models import Idea, IdeaComment
from .permissions import MANAGE
from .similar import similar_ideas


def _login_first(request: HttpRequest, then: str) -> HttpResponse:
    return redirect_to_login(then)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with action=check: the similar ideas, nothing posted yet.
    POST otherwise: the idea is posted."""
    if not request.user.is_authenticated:
        return _login_first(request, reverse("board:submit"))
    form = IdeaForm(request.POST or None)
    similar = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "check":
            similar = similar_ideas(data["title"], data["body"])
        else:
            try:
                idea = submit_idea(
                    request.user, title=data["title"], body=data["body"], category=data["category"]
                )
            except IdeaError as exc:
                form.add_error(None, str(exc))
            else:
                if idea.state == Idea.State.PUBLISHED:
                    messages.success(request, "Thank you, your idea is on the board.")
                else:
                    messages.info(request, "Thank you. Your idea waits for a moderator.")
                return redirect(idea.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "similar": similar}
    return render(request, "board/submit.html", context, status=status)


def _idea_or_login(request: HttpRequest, idea_id: int) -> Idea | HttpResponse:
    idea = views.visible_idea(request, idea_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea.get_absolute_url())
    return idea


@require_POST
def vote_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_login(request, idea_id)
    if isinstance(idea, HttpResponse):
        return idea
    try:
        if request.POST.get("action") == "unvote":
            unvote(idea, request.user)
        else:
            vote(idea, request.user)
    except IdeaError as exc:
        messages.error(request, str(exc))
    return redirect(idea.get_absolute_url())


@require_POST
def follow_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_login(request, idea_id)
    if isinstance(idea, HttpResponse):
        return idea
    try:
        if request.POST.get("action") == "unfollow":
            unfollow(idea, request.user)
            messages.success(request, "You no longer follow this idea.")
        else:
            follow(idea, request.user)
            messages.success(request, "You follow this idea: we tell you when it changes.")
    except IdeaError as exc:
        messages.error(request, str(exc))
    return redirect(idea.get_absolute_url())


@require_POST
def comment_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_login(request, idea_id)
    if isinstance(idea, HttpResponse):
        return idea
    form = CommentForm(request.POST)
    if not form.is_valid():
        return views.idea(request, idea_id, comment_form=form)
    try:
        comment = comment_on_idea(idea, request.user, form.cleaned_data["body"])
    except CommentError as exc:
        form.add_error(None, str(exc))
        return views.idea(request, idea_id, comment_form=form)
    if comment.status == IdeaComment.Status.PUBLISHED:
        messages.success(request, "Thank you, your comment is published.")
        return redirect(comment.get_absolute_url())
    messages.info(request, "Thank you. Your comment waits for a moderator.")
    return redirect(f"{idea.get_absolute_url()}#comments")


@require_POST
@console_permission(MANAGE)
def status_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            change_status(idea, data["status"], data["note"], request.user)
        except IdeaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The idea is now {idea.status.name}.")
            return redirect(idea.get_absolute_url())
    return views.idea(request, idea_id, status_form=form)


@require_POST
@console_permission(MANAGE)
def moderate_idea_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id)
    try:
        moderate_idea(idea, request.POST.get("action", ""), request.user)
    except IdeaError as exc:
        messages.error(request, str(exc))
    return redirect(idea.get_absolute_url())


@require_POST
@console_permission(MANAGE)
def moderate_comment_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(IdeaComment.objects.select_related("idea"), pk=comment_id)
    try:
        moderate_comment(comment, request.POST.get("action", ""), request.user)
    except CommentError as exc:
        messages.error(request, str(exc))
    return redirect(f"{comment.idea.get_absolute_url()}#comments")


@require_POST
@console_permission(MANAGE)
def merge_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Merge this idea into the one chosen; the survivor's page follows."""
    duplicate = get_object_or_404(Idea, pk=idea_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        survivor = Idea.objects.filter(pk=form.cleaned_data["number"]).first()
        if survivor is None:
            form.add_error("into", f"There is no idea #{form.cleaned_data['number']}.")
        else:
            try:
                merge_ideas(duplicate, survivor, request.user, form.cleaned_data["note"])
            except IdeaError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"#{duplicate.pk} is merged into this idea.")
                return redirect(survivor.get_absolute_url())
    return views.idea(request, idea_id, merge_form=form)
