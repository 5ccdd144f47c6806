"""Up and down votes on questions and answers, with their points.

Voting again the same way takes the vote back; voting the other way changes it. Each
vote row credits its post's author once (ledger key "vote:<id>") and, for a downvote on
an answer, costs the voter a point ("vote:<id>:cast"); taking the vote back reverses
exactly those lines. The unique constraints on Vote make a double click count once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from ..errors import CommunityError, Conflict, NotAllowed
from ..models import Answer, EventKind, Question, State, Vote
from . import reputation
from .posts import may_post

KINDS = {
    ("question", 1): EventKind.QUESTION_UPVOTED,
    ("question", -1): EventKind.QUESTION_DOWNVOTED,
    ("answer", 1): EventKind.ANSWER_UPVOTED,
    ("answer", -1): EventKind.ANSWER_DOWNVOTED,
}


def _target(post: Question | Answer) -> str:
    return "question" if isinstance(post, Question) else "answer"


def _check(post: Question | Answer, user) -> None:
    may_post(user)
    if post.author_id == user.pk:
        raise NotAllowed("You cannot vote on your own post.")
    if post.state != State.PUBLISHED:
        raise Conflict("This post is not published.")
    if isinstance(post, Answer) and not post.question.is_live:
        raise Conflict("This question is not published.")


def _withdraw(vote: Vote, user) -> None:
    model = Question if vote.question_id else Answer
    model.objects.filter(pk=vote.question_id or vote.answer_id).update(
        score=F("score") - vote.value
    )
    reputation.reverse(f"vote:{vote.pk}", actor=user, note="vote withdrawn")
    reputation.reverse(f"vote:{vote.pk}:cast", actor=user, note="vote withdrawn")
    vote.delete()


def vote(post: Question | Answer, user, value: int, *, toggle: bool = True) -> int:
    """Cast, change or (same value again) take back the user's vote; the post's new score.
    With toggle=False the same value again changes nothing, so a repeated request (the
    API's "set my vote") can never cancel itself out."""
    if value not in (1, -1):
        raise CommunityError("A vote is up (+1) or down (-1).")
    _check(post, user)
    target = _target(post)
    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(user=user, **{target: post}).first()
        if existing is not None:
            if existing.value == value and not toggle:
                post.refresh_from_db(fields=["score"])
                return post.score
            _withdraw(existing, user)
            if existing.value == value:
                post.refresh_from_db(fields=["score"])
                return post.score
        try:
            with transaction.atomic():
                cast = Vote.objects.create(user=user, value=value, **{target: post})
        except IntegrityError:  # a concurrent request from the same person won
            post.refresh_from_db(fields=["score"])
            return post.score
        type(post).objects.filter(pk=post.pk).update(score=F("score") + value)
        question = post if target == "question" else None
        answer = post if target == "answer" else None
        if post.author_id:
            reputation.award(
                post.author,
                KINDS[(target, value)],
                f"vote:{cast.pk}",
                actor=user,
                question=question or post.question,
                answer=answer,
            )
        if target == "answer" and value == -1:
            reputation.award(
                user,
                EventKind.DOWNVOTE_CAST,
                f"vote:{cast.pk}:cast",
                actor=user,
                question=post.question,
                answer=post,
            )
    post.refresh_from_db(fields=["score"])
    return post.score


def unvote(post: Question | Answer, user) -> int:
    """Take the user's vote back if there is one; the post's score."""
    target = _target(post)
    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(user=user, **{target: post}).first()
        if existing is not None:
            _withdraw(existing, user)
    post.refresh_from_db(fields=["score"])
    return post.score


def user_votes(user, *, questions=(), answers=()) -> dict[str, int]:
    """The user's votes on these posts, as {"question-3": 1, "answer-9": -1}."""
    if not (user and user.is_authenticated):
        return {}
    mine = Vote.objects.filter(user=user)
    found = {
        f"question-{pk}": value
        for pk, value in mine.filter(question_id__in=list(questions)).values_list(
            "question_id", "value"
        )
    }
    found.update(
        (f"answer-{pk}", value)
        for pk, value in mine.filter(answer_id__in=list(answers)).values_list("answer_id", "value")
    )
    return found


def votes_in_thread(user, question_id: int) -> dict[str, int]:
    """The user's votes on a question and all its answers, in one query (a join, not a
    list of 200 answer ids), as user_votes returns them."""
    if not (user and user.is_authenticated):
        return {}
    rows = Vote.objects.filter(
        Q(question_id=question_id) | Q(answer__question_id=question_id), user=user
    ).values_list("question_id", "answer_id", "value")
    return {f"question-{q}" if q else f"answer-{a}": value for q, a, value in rows}
