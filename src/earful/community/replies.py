"""Replies from the console's inbox to community mentions are published in the community
by the staff member who writes them: a reply to a question is an answer to it, a reply
to an answer a comment under that answer, and a reply to a comment a comment beside it
(under the same question or answer). They go through the same actions as the pages, so
the length limits and the river follow."""

from __future__ import annotations

from earful.blog.river_link import absolute
from earful.inbox.publishing import PublishError
from earful.river.models import Mention

from .errors import CommunityError
from .models import Answer, Comment, Question
from .river_link import ANSWER_PREFIX, COMMENT_PREFIX, QUESTION_PREFIX, REPORT_PREFIX


def _number(external_id: str, prefix: str) -> int | None:
    rest = external_id[len(prefix) :]
    return int(rest) if rest.isdigit() else None


def publish_inbox_reply(mention: Mention, text: str, user) -> str:
    """Publish the reply; the URL of the answer or comment it became."""
    from .actions.posts import answer_question, comment_on

    external_id = mention.external_id or ""
    missing = PublishError(f"the community no longer has {external_id or 'this post'}")
    try:
        if external_id.startswith(QUESTION_PREFIX):
            question = Question.objects.filter(pk=_number(external_id, QUESTION_PREFIX)).first()
            if question is None:
                raise missing
            posted = answer_question(question, user, text)
        elif external_id.startswith(ANSWER_PREFIX):
            answer = (
                Answer.objects.select_related("question")
                .filter(pk=_number(external_id, ANSWER_PREFIX))
                .first()
            )
            if answer is None:
                raise missing
            posted = comment_on(user, text, answer=answer)
        elif external_id.startswith(COMMENT_PREFIX):
            comment = (
                Comment.objects.select_related("question", "answer__question")
                .filter(pk=_number(external_id, COMMENT_PREFIX))
                .first()
            )
            if comment is None:
                raise missing
            posted = comment_on(user, text, question=comment.question, answer=comment.answer)
        elif external_id.startswith(REPORT_PREFIX):
            raise PublishError(
                "an ambassador report has no thread to reply in; answer the ambassador directly"
            )
        else:
            raise missing
    except CommunityError as exc:
        raise PublishError(str(exc)) from exc
    # Held (a replier without manage_community who posted links, say): it is saved and
    # shows at this address once a moderator approves it.
    return absolute(posted.get_absolute_url())
