"""Questions like a draft, shown on the ask page before posting so people find the answer
that already exists instead of asking again. The scoring is the river's, shared with the
ideas board (river/owned_similar.py); here the scored mentions become live questions."""

from __future__ import annotations

from dataclasses import dataclass

from earful.river.owned_similar import similar_mentions

from .models import Question, State
from .river_link import QUESTION_PREFIX, community_source


@dataclass(frozen=True, slots=True)
class SimilarQuestion:
    question: Question
    score: float  # 0..1


def similar_questions(
    title: str, body: str = "", *, limit: int = 5, exclude: int | None = None
) -> list[SimilarQuestion]:
    """Published questions most like the draft, best first, each with a score from 0 to 1."""
    scores = similar_mentions(title, body, source_id=community_source().pk, prefix=QUESTION_PREFIX)
    if not scores:
        return []
    questions = Question.objects.filter(mention_id__in=list(scores), state=State.PUBLISHED)
    if exclude is not None:
        questions = questions.exclude(pk=exclude)
    found = [SimilarQuestion(q, scores[q.mention_id]) for q in questions]
    # a solved question is the more useful suggestion at the same score
    found.sort(key=lambda s: (-s.score, s.question.accepted_answer_id is None, -s.question.score))
    return found[:limit]
