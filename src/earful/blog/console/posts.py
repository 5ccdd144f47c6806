"""The console's post pages: every post with its counts, and one post's writing form
(save, preview, publish now, schedule, unpublish). The rules live in blog/actions/posts.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from earful.accounts.access import console_permission

from ..actions.photos import PhotoError, upload_photo
from ..actions.posts import PostError, make_author, publish_post, save_post, unpublish_post
from ..forms import MAX_POST_BODY, PUBLISH, SCHEDULE, UNPUBLISH, PostForm, utc_text
from ..markdown import render_post
from ..models import AuthorProfile, Comment, Linkback, OutgoingLink, Post

PAGE_SIZE = 50


def _count(model, **filters) -> Coalesce:
    rows = (
        model.objects.filter(post=OuterRef("pk"), **filters)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def posts_with_counts() -> QuerySet[Post]:
    """Every post with its comment and linkback counts (one query, no join fan-out)."""
    return Post.objects.select_related("author").annotate(
        comments_published=_count(Comment, status=Comment.Status.PUBLISHED),
        comments_held=_count(Comment, status=Comment.Status.PENDING),
        linkbacks_published=_count(Linkback, status=Linkback.Status.PUBLISHED),
        linkbacks_held=_count(Linkback, status=Linkback.Status.PENDING),
    )


@console_permission("write_posts")
def posts(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Post.Status.values:
        status = ""
    listed = posts_with_counts().order_by("-updated_at", "-id")
    if status:
        listed = listed.filter(status=status)
    counts = dict(
        Post.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "blog/console/posts.html",
        {
            "section": "blog",
            "page": Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in Post.Status.choices
            ],
            "total": sum(counts.values()),
        },
    )


@console_permission("write_posts")
def post_new(request: HttpRequest) -> HttpResponse:
    return _post_page(request, None)


@console_permission("write_posts")
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("author", "cover"), pk=post_id)
    return _post_page(request, post)


def _post_page(request: HttpRequest, post: Post | None) -> HttpResponse:
    preview = None
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, post=post)
        if "preview" in request.POST:
            preview = render_post(request.POST.get("body", "")[:MAX_POST_BODY])
        elif form.is_valid():
            try:
                saved, done = save_from_form(form, request.user)
            except PostError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("blog-console:post-edit", saved.pk)
    else:
        form = PostForm(post=post)
    return render(request, "blog/console/post_form.html", _post_context(post, form, preview))


def save_from_form(form: PostForm, user) -> tuple[Post, str]:
    """Save a valid PostForm through the actions, then carry out its publishing choice.
    A new post is the writer's; an edited one keeps its author."""
    data = form.cleaned_data
    post = form.post
    if post is None:
        author = AuthorProfile.objects.filter(user=user).first() or make_author(user)
    else:
        author = post.author
    cover = post.cover if post is not None else None
    if data["remove_cover"]:
        cover = None
    if data["cover"] is not None:
        try:
            cover = upload_photo(data["cover"], user, alt=data["cover_alt"])
        except PhotoError as exc:
            raise PostError(f"The cover photo was not taken: {exc}") from exc
    choice = data["publish"]
    with transaction.atomic():
        if choice == UNPUBLISH and post is not None:
            unpublish_post(post)  # first, so the save does not re-enter it in the river
        saved = save_post(
            author,
            data["title"],
            data["body"],
            post=post,
            slug=data["slug"],
            summary=data["summary"],
            tags=data["tags"],
            cover=cover,
            comments_enabled=data["comments_enabled"],
            close_comments_after_days=data["close_comments_after_days"],
        )
        if choice == PUBLISH:
            publish_post(saved)
            return saved, f"Published “{saved.title}”."
        if choice == SCHEDULE:
            publish_post(saved, at=data["publish_at"])
            if saved.status == Post.Status.SCHEDULED:
                return saved, f"Scheduled “{saved.title}” for {utc_text(saved.publish_at)}."
            return saved, f"Published “{saved.title}” (its time had come)."
        if choice == UNPUBLISH:
            return saved, f"Unpublished “{saved.title}”: it is a draft again."
    return saved, f"Saved “{saved.title}”."


def outgoing_links(post: Post) -> QuerySet[OutgoingLink]:
    """What telling the linked pages about the post gave, link by link."""
    return post.outgoing_links.order_by("-still_linked", "id")


def _post_context(post: Post | None, form: PostForm, preview: str | None) -> dict:
    context = {"section": "blog", "post": post, "form": form, "preview": preview}
    if post is not None:
        context["counts"] = posts_with_counts().get(pk=post.pk)
        if post.is_live or post.outgoing_links.exists():
            context["outgoing"] = outgoing_links(post)
    return context
