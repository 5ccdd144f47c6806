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

from earful.river.actions import delete_mentions, ingest_items, owned_app_source
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
    source = blog_source()
    ingest_items(source, [item])
    mention_id = (
        Mention.objects.filter(source=source, external_id=item.external_id)
        .values_list("id", flat=True)
        .first()
    )
    if mention_id != obj.mention_id:
        type(obj).objects.filter(pk=obj.pk).update(mention_id=mention_id)
        obj.mention_id = mention_id
    return mention_id


def post_entered(post: Post) -> int | None:
    if post.mention_id and Mention.objects.filter(pk=post.mention_id).exists():
        _update_text(post.mention_id, post.title, _post_item(post))
        return post.mention_id
    return _enter(post, _post_item(post))


def comment_entered(comment: Comment) -> int | None:
    if comment.parent_id:
        parent = comment.parent
        if parent.status == Comment.Status.PUBLISHED and not parent.mention_id:
            comment_entered(parent)
    elif comment.post.is_live and not comment.post.mention_id:
        post_entered(comment.post)
    if comment.mention_id and Mention.objects.filter(pk=comment.mention_id).exists():
        _update_text(comment.mention_id, "", _comment_item(comment))
        return comment.mention_id
    return _enter(comment, _comment_item(comment))


def linkback_entered(linkback: Linkback) -> int | None:
    if linkback.post.is_live and not linkback.post.mention_id:
        post_entered(linkback.post)
    if linkback.mention_id and Mention.objects.filter(pk=linkback.mention_id).exists():
        _update_text(linkback.mention_id, linkback.title, _linkback_item(linkback))
        return linkback.mention_id
    return _enter(linkback, _linkback_item(linkback))


def _update_text(mention_id: int, title: str, item: RawItem) -> None:
    from earful.river.pipeline.normalise import text_of

    text = text_of(item.text, item.is_html)
    if text:
        Mention.objects.filter(pk=mention_id).update(title=title, text=text)


def withdraw(obj: Post | Comment | Linkback) -> None:
    """Take the object's mention out of the river, and out of the daily counts."""
    if not obj.mention_id:
        return
    with transaction.atomic():
        delete_mentions(Mention.objects.filter(pk=obj.mention_id))
        type(obj).objects.filter(pk=obj.pk).update(mention_id=None)
        obj.mention_id = None
