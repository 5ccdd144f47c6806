"""The board's voices in the river: each published idea, each published comment and each
vote is an owned Mention of the "Ideas board" source, comments and votes threaded under
their idea, so the console charts, searches and triages them like any other mention (a
vote reads "+1 for the idea “…”"). Status changes are the company's, not voices: they
stay out.

Entering is idempotent (the river keys mentions by source + external id); an idea or
comment that is held or removed takes its mention out of the river and the daily counts.
"""

from __future__ import annotations

from earful.blog.river_link import absolute
from earful.blog.river_link import withdraw as _withdraw
from earful.river.actions import owned_app_source, owned_mention, site_writer
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem

from .models import Idea, IdeaComment, Vote

SOURCE_NAME = "Ideas board"
APP = "board"
IDEA_PREFIX = "idea-"
COMMENT_PREFIX = "comment-"
VOTE_PREFIX = "vote-"


def board_source() -> Source:
    return owned_app_source(SOURCE_NAME, APP)


def idea_id(idea: Idea) -> str:
    return f"{IDEA_PREFIX}{idea.pk}"


def comment_id(comment: IdeaComment) -> str:
    return f"{COMMENT_PREFIX}{comment.pk}"


def _idea_item(idea: Idea) -> RawItem:
    handle, name = site_writer(idea.author)
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
    handle, name = site_writer(comment.user)
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


def vote_id(vote: Vote) -> str:
    return f"{VOTE_PREFIX}{vote.pk}"


def _vote_item(vote: Vote) -> RawItem:
    handle, name = site_writer(vote.user)
    return RawItem(
        text=f"+1 for the idea “{vote.idea.title}”",
        external_id=vote_id(vote),
        url=absolute(vote.idea.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=vote.created_at,
        parent_id=idea_id(vote.idea),
        owned=True,
    )


def _enter(obj: Idea | IdeaComment | Vote, item: RawItem) -> int | None:
    mention_id = owned_mention(board_source(), item, obj.mention_id)
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


def vote_entered(vote: Vote) -> int | None:
    """Put the vote in the river under its idea, entering the idea first if need be."""
    idea = vote.idea
    if idea.state == Idea.State.PUBLISHED and not idea.mention_id:
        idea_entered(idea)
    return _enter(vote, _vote_item(vote))


def withdraw_mentions(mention_ids) -> None:
    """Take these mentions out of the river and the daily counts (rows already deleted)."""
    from earful.river.actions import delete_mentions

    ids = [mention_id for mention_id in mention_ids if mention_id]
    if ids:
        delete_mentions(Mention.objects.filter(pk__in=ids))


def withdraw(obj: Idea | IdeaComment | Vote) -> None:
    """Take the object's mention out of the river, and out of the daily counts."""
    _withdraw(obj)
