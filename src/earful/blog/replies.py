"""Replies from the console's inbox to blog mentions are published as staff comments."""

from __future__ import annotations

from earful.inbox.publishing import PublishError
from earful.river.models import Mention

from .models import Comment, Linkback, Post
from .river_link import absolute


def publish_inbox_reply(mention: Mention, text: str, user) -> str:
    from .actions.comments import CommentError, staff_reply

    kind, _, number = mention.external_id.partition("-")
    model = {"post": Post, "comment": Comment, "linkback": Linkback}.get(kind)
    target = model.objects.filter(pk=int(number)).first() if model and number.isdigit() else None
    if target is None:
        raise PublishError(f"the blog no longer has {mention.external_id or 'this mention'}")
    if isinstance(target, Post):
        post, parent = target, None
    elif isinstance(target, Comment):
        post, parent = target.post, target
    else:
        post, parent = target.post, None
    try:
        comment = staff_reply(post, user, text, parent=parent)
    except CommentError as exc:
        raise PublishError(str(exc)) from exc
    return absolute(comment.get_absolute_url())
