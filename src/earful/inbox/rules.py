"""Which mentions need an answer, and why. Plain Python: no Django in here."""

from __future__ import annotations

from dataclasses import dataclass

from earful.river.pipeline.questions import is_question

__all__ = ["Reasons", "is_high_reach", "is_question", "reasons"]


@dataclass(frozen=True)
class Reasons:
    negative: bool = False
    question: bool = False
    high_reach: bool = False

    def __bool__(self) -> bool:
        return self.negative or self.question or self.high_reach


def reasons(
    question: bool, sentiment: str, reach: int | None, spam_score: float, *, min_reach: int,
    spam_threshold: float = 0.5, reply_among_customers: bool = False,
) -> Reasons:  # fmt: skip
    """Why a mention needs an answer (none of the reasons for spam). A question in a reply
    to someone else's post on an external site asks that person, not the company."""
    if spam_score >= spam_threshold:
        return Reasons()
    return Reasons(
        negative=sentiment == "negative",
        question=question and not reply_among_customers,
        high_reach=is_high_reach(reach, spam_score, min_reach=min_reach),
    )


def is_high_reach(
    reach: int | None, spam_score: float, *, min_reach: int, spam_threshold: float = 0.5
) -> bool:
    """Whether a mention's author is heard widely enough for the "high reach" reason."""
    return reach is not None and reach >= min_reach and spam_score < spam_threshold
