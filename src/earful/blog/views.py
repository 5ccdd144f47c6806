"""The public blog: post list, post with its comments, tags, authors, comment editing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .actions.comments import CommentError, can_edit, edit_comment, submit_comment
from .comment_form import CommentForm, EditCommentForm
from .models import AuthorProfile, Comment, Post, Tag
from .queries import live_posts, thread
from .thread_html import render_thread

PER_PAGE = 10
SESSION_COMMENTS = "blog_comments"  # ids of the comments this browser wrote as a guest
SESSION_WRITER = "blog_writer"  # name, e-mail, website remembered for the next comment


def _page(request: HttpRequest, posts):
    return Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "blog/index.html", {"page": _page(request, live_posts())})


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    posts = live_posts().filter(tags=tag)
    return render(request, "blog/index.html", {"page": _page(request, posts), "tag": tag})


def author(request: HttpRequest, slug: str) -> HttpResponse:
    profile = get_object_or_404(AuthorProfile.objects.select_related("photo"), slug=slug)
    posts = live_posts().filter(author=profile)
    return render(request, "blog/author.html", {"page": _page(request, posts), "profile": profile})


def _visible_post(request: HttpRequest, slug: str) -> Post:
    post = get_object_or_404(Post.objects.select_related("author", "cover"), slug=slug)
    if not post.is_live and not request.user.has_perm("accounts.write_posts"):
        raise Http404("No such post.")
    return post


def post(request: HttpRequest, slug: str, form: CommentForm | None = None) -> HttpResponse:
    post = _visible_post(request, slug)
    if form is None:
        form = CommentForm(initial=request.session.get(SESSION_WRITER, {}))
    from .linkback_queries import linkbacks_of
    from .linkback_views import discovery_headers

    entries = thread(post)
    comments_open = post.comments_open()
    thread_html = render_thread(
        entries,
        can_reply=comments_open,
        editable=set(request.session.get(SESSION_COMMENTS, [])),
        user_id=request.user.pk,
        edit_since=timezone.now() - timedelta(minutes=settings.EARFUL_BLOG_EDIT_MINUTES),
    )
    response = render(
        request,
        "blog/post.html",
        {
            "post": post,
            "tags": list(post.tags.all()),
            "thread_html": thread_html,
            "comment_count": len(entries),
            "linkbacks": linkbacks_of(post),
            "form": form,
            "comments_open": comments_open,
        },
        status=400 if form.is_bound else 200,
    )
    for name, value in discovery_headers(request).items():
        response[name] = value
    return response


@require_POST
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    post_ = _visible_post(request, slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return post(request, slug, form)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Comment.objects.filter(pk=data["parent"], post=post_).first()
        if parent is None:
            form.add_error(None, "The comment you answer does not exist on this post.")
            return post(request, slug, form)
    try:
        saved = submit_comment(
            post_,
            body=data["body"],
            name=data["name"],
            email=data["email"],
            website=data["website"],
            user=request.user if request.user.is_authenticated else None,
            parent=parent,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except CommentError as exc:
        form.add_error(None, str(exc))
        return post(request, slug, form)
    if not request.user.is_authenticated:
        request.session[SESSION_COMMENTS] = [*request.session.get(SESSION_COMMENTS, []), saved.pk][
            -50:
        ]
        request.session[SESSION_WRITER] = {
            "name": data["name"],
            "email": data["email"],
            "website": data["website"],
        }
    if saved.status == Comment.Status.PUBLISHED:
        messages.success(request, "Thank you, your comment is published.")
        return redirect(saved.get_absolute_url())
    messages.info(
        request, "Thank you. Your comment is waiting for a moderator and will appear soon."
    )
    return redirect(f"{post_.get_absolute_url()}#comments")


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    session_ids = request.session.get(SESSION_COMMENTS, [])
    if not can_edit(comment, request.user, session_ids):
        writer = comment.pk in session_ids or (
            comment.user_id is not None and comment.user_id == request.user.pk
        )
        context = {"comment": comment, "writer": writer}
        return render(request, "blog/comment_edit.html", context, status=403)
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            edit_comment(comment, form.cleaned_data["body"], request.user, session_ids)
        except CommentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your comment is updated.")
            return redirect(comment.get_absolute_url())
    status = 400 if form.is_bound else 200
    context = {"comment": comment, "form": form}
    return render(request, "blog/comment_edit.html", context, status=status)
