"""Posts and their authors: write, schedule, publish, close comments."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..markdown import plain_text, render_post
from ..models import AuthorProfile, Post, Tag
from ..river_link import post_entered, withdraw

SUMMARY_CHARS = 280
# Post slugs share /blog/ with these pages: a post is never given one of their names.
RESERVED_SLUGS = {"feed", "tag", "authors", "comments", "webmention", "xmlrpc"}


class PostError(ValueError):
    """The post cannot be saved or published as asked; the message says why."""


def _unique_slug(model, base: str, exclude_pk=None, max_length: int = 200) -> str:
    base = (slugify(base) or "post")[: max_length - 8].strip("-") or "post"
    slug, n = base, 2
    taken = model.objects.exclude(pk=exclude_pk)
    while (model is Post and slug in RESERVED_SLUGS) or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def make_author(user, display_name: str = "", bio: str = "", slug: str = "") -> AuthorProfile:
    """The user's author profile, created or updated."""
    from ..markdown import render_comment

    display_name = (display_name or user.get_full_name() or user.get_username()).strip()
    profile = AuthorProfile.objects.filter(user=user).first()
    if profile is None:
        profile = AuthorProfile(user=user)
    profile.display_name = display_name[:120]
    profile.bio = bio
    profile.bio_html = render_comment(bio) if bio else ""
    if slug or not profile.slug:
        profile.slug = _unique_slug(AuthorProfile, slug or display_name, profile.pk, 80)
    profile.save()
    return profile


def tags_named(names) -> list[Tag]:
    tags = []
    for name in names:
        name = " ".join(str(name).split())[:60]
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_slug(Tag, name, None, 60))
        tags.append(tag)
    return tags


def _summary(body_html: str, summary: str) -> str:
    if summary.strip():
        return summary.strip()[:500]
    text = plain_text(body_html)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def save_post(
    author: AuthorProfile,
    title: str,
    body: str,
    *,
    post: Post | None = None,
    slug: str = "",
    summary: str = "",
    tags=(),
    cover=None,
    comments_enabled: bool = True,
    close_comments_after_days: int | None = None,
) -> Post:
    """Create or change a post; publishing is a separate step (publish_post)."""
    title = " ".join((title or "").split())
    if not title:
        raise PostError("A post needs a title.")
    if len(title) > 300:
        raise PostError("A title is at most 300 characters.")
    if not (body or "").strip():
        raise PostError("A post needs a body.")
    post = post or Post()
    post.author = author
    post.title = title
    post.body = body
    post.body_html = render_post(body)
    post.summary = _summary(post.body_html, summary)
    post.cover = cover
    post.comments_enabled = comments_enabled
    post.close_comments_after_days = close_comments_after_days
    if slug or not post.slug:
        post.slug = _unique_slug(Post, slug or title, post.pk)
    post.updated_at = timezone.now()
    with transaction.atomic():
        post.save()
        post.tags.set(tags_named(tags))
    if post.is_live:
        post_entered(post)
        _announce(post)
    return post


def publish_post(post: Post, at: datetime | None = None, now=None) -> Post:
    """Publish now, or schedule for `at` when that is in the future."""
    now = now or timezone.now()
    if at is not None and at > now:
        post.status = Post.Status.SCHEDULED
        post.publish_at = at
        post.save(update_fields=["status", "publish_at"])
        return post
    post.status = Post.Status.PUBLISHED
    post.published_at = post.published_at or at or now
    post.publish_at = None
    post.save(update_fields=["status", "published_at", "publish_at"])
    post_entered(post)
    _announce(post)
    return post


def unpublish_post(post: Post) -> Post:
    post.status = Post.Status.DRAFT
    post.publish_at = None
    post.save(update_fields=["status", "publish_at"])
    withdraw(post)
    return post


def publish_due_posts(now=None) -> list[Post]:
    """Publish every scheduled post whose time has come (the worker calls this). Each post
    is claimed with a conditional update, so two schedulers running at once publish it
    once."""
    now = now or timezone.now()
    due = Post.objects.filter(status=Post.Status.SCHEDULED, publish_at__lte=now)
    published = []
    for post in due.select_related("author"):
        claimed = Post.objects.filter(pk=post.pk, status=Post.Status.SCHEDULED).update(
            status=Post.Status.PUBLISHED, published_at=post.publish_at, publish_at=None
        )
        if not claimed:
            continue
        post.status, post.published_at, post.publish_at = (
            Post.Status.PUBLISHED, post.publish_at, None,
        )  # fmt: skip
        post_entered(post)
        _announce(post)
        published.append(post)
    return published


def set_comments_enabled(post: Post, enabled: bool) -> Post:
    post.comments_enabled = enabled
    post.save(update_fields=["comments_enabled"])
    return post


def _announce(post: Post) -> None:
    """Tell the pages the post links to (Webmention / Pingback), in the worker."""
    from ..tasks import send_linkbacks_task

    transaction.on_commit(lambda: send_linkbacks_task.enqueue(post.pk))
