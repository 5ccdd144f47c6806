"""Accepted and official answers.

The asker (or staff who run the community) accepts one answer per question; accepting
another moves the acceptance and its points. Staff mark answers official: the company's
word, shown first. Each acceptance is a ledger cause of its own ("accept:<answer>:<n>"),
so accepting, taking back and accepting again credits once per acceptance that stands."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..errors import Conflict, NotAllowed
from ..models import Answer, EventKind, Member, Question, ReputationEvent, State
from ..permissions import can_manage, is_signed_in
from . import reputation


def _standing(prefix: str) -> str | None:
    """The key of the newest unreversed ledger line whose key starts with prefix."""
    return (
        ReputationEvent.objects.filter(key__startswith=prefix, reversed_by__isnull=True)
        .exclude(kind=EventKind.REVERSAL)
        .order_by("-id")
        .values_list("key", flat=True)
        .first()
    )


def _next_key(prefix: str) -> str:
    return f"{prefix}{ReputationEvent.objects.filter(key__startswith=prefix).count()}"


def _unaccept(question: Question, answer: Answer, user) -> None:
    Answer.objects.filter(pk=answer.pk).update(is_accepted=False)
    if answer.author_id:
        Member.objects.filter(user_id=answer.author_id, accepted_answers__gt=0).update(
            accepted_answers=F("accepted_answers") - 1
        )
    for prefix in (f"accept:{answer.pk}:", f"accepted:{answer.pk}:"):
        key = _standing(prefix)
        if key:
            reputation.reverse(key, actor=user, note="acceptance taken back")


def accept_answer(answer: Answer, user) -> Answer:
    """Mark the answer as the one that solved the question."""
    if not is_signed_in(user):
        raise NotAllowed("Sign in to accept an answer.")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        if question.author_id != user.pk and not can_manage(user):
            raise NotAllowed("Only the person who asked can accept an answer.")
        if answer.state != State.PUBLISHED or not question.is_live:
            raise Conflict("Only a published answer to a published question is accepted.")
        if question.accepted_answer_id == answer.pk:
            return answer
        if question.accepted_answer_id:
            _unaccept(question, question.accepted_answer, user)
        question.accepted_answer = answer
        question.last_activity_at = timezone.now()
        question.save(update_fields=["accepted_answer", "last_activity_at"])
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        answer.is_accepted = True
        if answer.author_id:
            Member.objects.filter(user_id=answer.author_id).update(
                accepted_answers=F("accepted_answers") + 1
            )
        # nobody earns points for accepting their own answer
        if answer.author_id and answer.author_id != question.author_id:
            prefix = f"accept:{answer.pk}:"
            reputation.award(
                answer.author, EventKind.ANSWER_ACCEPTED, _next_key(prefix),
                actor=user, question=question, answer=answer,
            )  # fmt: skip
            if question.author_id:
                prefix = f"accepted:{answer.pk}:"
                reputation.award(
                    question.author, EventKind.ACCEPTED_ANSWER, _next_key(prefix),
                    actor=user, question=question, answer=answer,
                )  # fmt: skip
    return answer


def withdraw_acceptance(answer: Answer, actor) -> bool:
    """Take back the acceptance of an answer that moderators removed, with its points;
    False when it was not the accepted answer. The caller checks who may do this."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        if question.accepted_answer_id != answer.pk:
            return False
        _unaccept(question, answer, actor)
        question.accepted_answer = None
        question.save(update_fields=["accepted_answer"])
    return True


def unaccept_answer(question: Question, user) -> Question:
    if not is_signed_in(user):
        raise NotAllowed("Sign in to change the accepted answer.")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.author_id != user.pk and not can_manage(user):
            raise NotAllowed("Only the person who asked can change the accepted answer.")
        if question.accepted_answer_id:
            _unaccept(question, question.accepted_answer, user)
            question.accepted_answer = None
            question.save(update_fields=["accepted_answer"])
    return question


def mark_official(answer: Answer, user, official: bool = True) -> Answer:
    """Staff mark (or unmark) an answer as the company's official answer."""
    if not can_manage(user):
        raise NotAllowed("Only staff who run the community mark official answers.")
    if official and answer.state != State.PUBLISHED:
        raise Conflict("Only a published answer can be official.")
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        if answer.is_official == official:
            return answer
        answer.is_official = official
        answer.official_by = user if official else None
        answer.save(update_fields=["is_official", "official_by"])
        prefix = f"official:{answer.pk}:"
        if official and answer.author_id and answer.author_id != user.pk:
            reputation.award(
                answer.author, EventKind.ANSWER_OFFICIAL, _next_key(prefix),
                actor=user, question=answer.question, answer=answer,
            )  # fmt: skip
        elif not official and (key := _standing(prefix)):
            reputation.reverse(key, actor=user, note="no longer the official answer")
    return answer
