"""Replies from the console's inbox to board mentions are published as staff comments on
the idea (the idea itself, or the idea a comment is on)."""

from __future__ import annotations

from earful.inbox.publishing import PublishError
from earful.river.models import Mention

from .models import Idea, IdeaComment
from .river_link import absolute


def idea_of_mention(mention: Mention) -> Idea | None:
    kind, _, number = mention.external_id.partition("-")
    if not number.isdigit():
        return None
    if kind == "idea":
        return Idea.objects.filter(pk=int(number)).first()
    if kind == "comment":
        comment = IdeaComment.objects.filter(pk=int(number)).select_related("idea").first()
        return comment.idea if comment else None
    return None


def publish_inbox_reply(mention: Mention, text: str, user) -> str:
    from .actions.comments import CommentError, staff_comment
    from .actions.merge import final_idea

    idea = idea_of_mention(mention)
    if idea is not None and idea.merged_into_id is not None:
        idea = final_idea(idea)  # a reply to a merged idea lands on the survivor
    if idea is None:
        raise PublishError(f"the ideas board no longer has {mention.external_id or 'this'}")
    try:
        comment = staff_comment(idea, user, text)
    except CommentError as exc:
        raise PublishError(str(exc)) from exc
    return absolute(comment.get_absolute_url())
