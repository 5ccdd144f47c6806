"""The community's voices in the river: each published question, answer and comment and
each approved ambassador report is an owned Mention of the "Community" source; answers
thread under their question and comments under what they remark on, so the console
charts, searches and triages them like any other mention. Votes, points and badges are
the community's bookkeeping, not voices: they stay out.

Entering is idempotent (the river keys mentions by source + external id); a post that is
held, hidden or removed takes its mention out of the river and out of the daily counts.
"""

from __future__ import annotations

from django.db import transaction

from earful.blog.river_link import absolute
from earful.river.actions import delete_mentions, owned_app_source, owned_mention, site_writer
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem

from .models import AmbassadorReport, Answer, Comment, Question

SOURCE_NAME = "Community"
APP = "community"
QUESTION_PREFIX = "question-"
ANSWER_PREFIX = "answer-"
COMMENT_PREFIX = "comment-"
REPORT_PREFIX = "report-"


def community_source() -> Source:
    return owned_app_source(SOURCE_NAME, APP)


def question_id(question: Question) -> str:
    return f"{QUESTION_PREFIX}{question.pk}"


def answer_id(answer: Answer) -> str:
    return f"{ANSWER_PREFIX}{answer.pk}"


def comment_id(comment: Comment) -> str:
    return f"{COMMENT_PREFIX}{comment.pk}"


def report_id(report: AmbassadorReport) -> str:
    return f"{REPORT_PREFIX}{report.pk}"


def _question_item(question: Question) -> RawItem:
    handle, name = site_writer(question.author)
    return RawItem(
        text=question.body_html or question.body,
        is_html=bool(question.body_html),
        title=question.title,
        external_id=question_id(question),
        url=absolute(question.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=question.created_at,
        owned=True,
    )


def _answer_item(answer: Answer) -> RawItem:
    handle, name = site_writer(answer.author)
    return RawItem(
        text=answer.body_html or answer.body,
        is_html=bool(answer.body_html),
        external_id=answer_id(answer),
        url=absolute(answer.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=answer.created_at,
        parent_id=question_id(answer.question),
        owned=True,
    )


def _comment_item(comment: Comment) -> RawItem:
    handle, name = site_writer(comment.author)
    parent = question_id(comment.question) if comment.question_id else answer_id(comment.answer)
    return RawItem(
        text=comment.body_html or comment.body,
        is_html=bool(comment.body_html),
        external_id=comment_id(comment),
        url=absolute(comment.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=comment.created_at,
        parent_id=parent,
        owned=True,
    )


def _report_item(report: AmbassadorReport) -> RawItem:
    handle, name = site_writer(report.user)
    product = f" about {report.product.name}" if report.product_id else ""
    return RawItem(
        text=report.said,
        title=f"Word of mouth at {report.place}, with {report.audience}{product}",
        external_id=report_id(report),
        url=absolute(report.get_absolute_url()),
        author=handle,
        author_name=name,
        published_at=report.decided_at or report.created_at,
        owned=True,
    )


def _enter(obj, item: RawItem) -> int | None:
    mention_id = owned_mention(community_source(), item, obj.mention_id)
    if mention_id != obj.mention_id:
        type(obj).objects.filter(pk=obj.pk).update(mention_id=mention_id)
        obj.mention_id = mention_id
    return mention_id


def question_entered(question: Question) -> int | None:
    """Put the question in the river (or refresh its text there); its mention's id."""
    return _enter(question, _question_item(question))


def answer_entered(answer: Answer) -> int | None:
    """Put the answer in the river under its question, entering the question if need be."""
    question = answer.question
    if question.is_live and not question.mention_id:
        question_entered(question)
    return _enter(answer, _answer_item(answer))


def comment_entered(comment: Comment) -> int | None:
    if comment.question_id:
        parent = comment.question
        if parent.is_live and not parent.mention_id:
            question_entered(parent)
    else:
        parent = comment.answer
        if parent.state == "published" and not parent.mention_id:
            answer_entered(parent)
    return _enter(comment, _comment_item(comment))


def report_entered(report: AmbassadorReport) -> int | None:
    return _enter(report, _report_item(report))


def withdraw(obj) -> None:
    """Take the object's mention out of the river, and out of the daily counts."""
    if not obj.mention_id:
        return
    with transaction.atomic():
        delete_mentions(Mention.objects.filter(pk=obj.mention_id))
        type(obj).objects.filter(pk=obj.pk).update(mention_id=None)
        obj.mention_id = None


def thread_withdrawn(question: Question) -> None:
    """Take a question's answers and comments out of the river with it (the question
    itself goes through withdraw); their rows keep their state for a later return."""
    answers = Answer.objects.filter(question=question)
    comments = Comment.objects.filter(question=question) | Comment.objects.filter(
        answer__question=question
    )
    ids = [
        *answers.exclude(mention_id=None).values_list("mention_id", flat=True),
        *comments.exclude(mention_id=None).values_list("mention_id", flat=True),
    ]
    if not ids:
        return
    with transaction.atomic():
        delete_mentions(Mention.objects.filter(pk__in=ids))
        answers.update(mention_id=None)
        comments.update(mention_id=None)


def thread_entered(question: Question) -> None:
    """Put a returning question's published answers and comments back in the river."""
    for answer in question.answers.filter(state="published"):
        answer_entered(answer)
    published = Comment.objects.filter(state="published")
    for comment in published.filter(question=question):
        comment_entered(comment)
    for comment in published.filter(answer__question=question, answer__state="published"):
        comment_entered(comment)
