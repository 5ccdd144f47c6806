"""The board's voices in the river: each published idea and each published comment is an
owned Mention of the "Ideas board" source, a comment threaded under its idea, so the
console charts, searches and triages them like any other mention. Votes and status changes
are not voices and stay out.

Entering is idempotent (the river keys mentions by source + external id); an idea or
comment that is held or removed takes its mention out of the river and the daily counts.
"""

from __future__ import annotations

from django.conf import settings

from earful.blog.river_link import withdraw as _withdraw
from earful.river.actions import ingest_items
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem
from earful.river.pipeline.normalise import text_of

from .models import Idea, IdeaComment

SOURCE_NAME = "Ideas board"
APP = "board"
IDEA_PREFIX = "idea-"
COMMENT_PREFIX = "comment-"


def board_source() -> Source:
    source, created = Source.objects.get_or_create(
        name=SOURCE_NAME, defaults={"kind": Source.Kind.OWNED, "config": {"app": APP}}
    )
    if not created and source.config.get("app") != APP:
        source.config = {**source.config, "app": APP}
        source.save(update_fields=["config"])
    return source


def absolute(path: str) -> str:
    return f"{settings.EARFUL_SITE_URL}{path}"


def idea_id(idea: Idea) -> str:
    return f"{IDEA_PREFIX}{idea.pk}"


def comment_id(comment: IdeaComment) -> str:
    return f"{COMMENT_PREFIX}{comment.pk}"


def _writer(user) -> tuple[str, str]:
    if user is None:
        return "user:deleted", "(deleted user)"
    return f"user:{user.pk}", user.get_full_name() or user.get_username()


def _idea_item(idea: Idea) -> RawItem:
    handle, name = _writer(idea.author)
    return RawItem(
        text=idea.body_html or idea.title,
        is_html=bool(idea.body_html),
        title=idea.title,
        external_id=idea_id(idea),
        url=absolute(idea.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=idea.created_at,
        owned=True,
    )


def _comment_item(comment: IdeaComment) -> RawItem:
    handle, name = _writer(comment.user)
    return RawItem(
        text=comment.body_html or comment.body,
        is_html=bool(comment.body_html),
        external_id=comment_id(comment),
        url=absolute(comment.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=comment.created_at,
        parent_id=idea_id(comment.idea),
        owned=True,
    )


def _enter(obj: Idea | IdeaComment, item: RawItem) -> int | None:
    if obj.mention_id and Mention.objects.filter(pk=obj.mention_id).exists():
        text = text_of(item.text, item.is_html)
        if text:
            Mention.objects.filter(pk=obj.mention_id).update(title=item.title, text=text)
        return obj.mention_id
    source = board_source()
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


def idea_entered(idea: Idea) -> int | None:
    """Put the idea in the river (or refresh its text there); its mention's id."""
    return _enter(idea, _idea_item(idea))


def comment_entered(comment: IdeaComment) -> int | None:
    """Put the comment in the river under its idea, entering the idea first if need be."""
    idea = comment.idea
    if idea.state == Idea.State.PUBLISHED and not idea.mention_id:
        idea_entered(idea)
    return _enter(comment, _comment_item(comment))


def withdraw(obj: Idea | IdeaComment) -> None:
    """Take the object's mention out of the river, and out of the daily counts."""
    _withdraw(obj)
