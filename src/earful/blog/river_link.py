"""The blog's voices in the river: each post, published comment and accepted linkback is
an owned Mention of the "Blog" source, threaded (comment -> parent comment -> post), so the
console charts, searches and triages them like any other mention.

Entering is idempotent (the river keys mentions by source + external id). A comment that is
edited changes its mention's text; one that is removed, or a linkback whose page no longer
links here, takes its mention out of the river and out of the daily counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from earful.river.actions import delete_mentions, owned_app_source, owned_mention
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem

from .models import Comment, Linkback, Post

SOURCE_NAME = "Blog"
APP = "blog"


def blog_source() -> Source:
    return owned_app_source(SOURCE_NAME, APP)


def absolute(path: str) -> str:
    return f"{settings.EARFUL_SITE_URL}{path}"


def post_id(post: Post) -> str:
    return f"post-{post.pk}"


def comment_id(comment: Comment) -> str:
    return f"comment-{comment.pk}"


def linkback_id(linkback: Linkback) -> str:
    return f"linkback-{linkback.pk}"


def _post_item(post: Post) -> RawItem:
    return RawItem(
        text=post.body_html or post.body,
        is_html=bool(post.body_html),
        title=post.title,
        external_id=post_id(post),
        url=absolute(post.get_absolute_url()),
        author=f"author:{post.author.slug}",
        author_name=post.author.display_name,
        author_url=absolute(post.author.get_absolute_url()),
        published_at=post.published_at,
        owned=True,
    )


def _comment_item(comment: Comment) -> RawItem:
    parent = comment_id(comment.parent) if comment.parent_id else post_id(comment.post)
    if comment.user_id:
        handle = f"user:{comment.user_id}"
    else:
        handle = f"guest:{(comment.email or comment.name).lower()}"
    return RawItem(
        text=comment.body_html or comment.body,
        is_html=bool(comment.body_html),
        external_id=comment_id(comment),
        url=absolute(comment.get_absolute_url()),
        author=handle,
        author_name=comment.name,
        author_url=comment.website,
        published_at=comment.created_at,
        parent_id=parent,
        owned=True,
    )


def _linkback_item(linkback: Linkback) -> RawItem:
    return RawItem(
        text=linkback.excerpt or linkback.title or linkback.source_url,
        title=linkback.title,
        external_id=linkback_id(linkback),
        url=linkback.source_url,
        author=linkback.author_url or linkback.site_name or linkback.author_name,
        author_name=linkback.author_name or linkback.site_name,
        author_url=linkback.author_url,
        published_at=linkback.published_at or linkback.received_at,
        parent_id=post_id(linkback.post),
        owned=True,
    )


def _enter(obj: Post | Comment | Linkback, item: RawItem) -> int | None:
    mention_id = owned_mention(blog_source(), item, obj.mention_id)
    if mention_id != obj.mention_id:
        type(obj).objects.filter(pk=obj.pk).update(mention_id=mention_id)
        obj.mention_id = mention_id
    return mention_id


def post_entered(post: Post) -> int | None:
    return _enter(post, _post_item(post))


def comment_entered(comment: Comment) -> int | None:
    if comment.parent_id:
        parent = comment.parent
        if parent.status == Comment.Status.PUBLISHED and not parent.mention_id:
            comment_entered(parent)
    elif comment.post.is_live and not comment.post.mention_id:
        post_entered(comment.post)
    return _enter(comment, _comment_item(comment))


def linkback_entered(linkback: Linkback) -> int | None:
    if linkback.post.is_live and not linkback.post.mention_id:
        post_entered(linkback.post)
    return _enter(linkback, _linkback_item(linkback))


def withdraw(obj: Post | Comment | Linkback) -> None:
    """Take the object's mention out of the river, and out of the daily counts."""
    if not obj.mention_id:
        return
    with transaction.atomic():
        delete_mentions(Mention.objects.filter(pk=obj.mention_id))
        type(obj).objects.filter(pk=obj.pk).update(mention_id=None)
        obj.mention_id = None
