"""Which mentions need an answer, and why. Plain Python: no Django in here."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Questions: a question mark, or a sentence that opens like a question in one of the
# languages the river detects best (English, French, German, Spanish).
_OPENERS = (
    "how|why|what|when|where|who|which|can|could|would|does|do|did|is|are|will|should|"
    "anyone|any idea|is there|has anyone|"
    "comment|pourquoi|quand|où|qui|quel|quelle|est-ce que|"
    "wie|warum|wann|wo|wer|welche|gibt es|kann|"
    "cómo|como|por qué|cuándo|dónde|quién|cuál|alguien"
)
_QUESTION_OPENER = re.compile(rf"(?:^|[.!\n]\s*)(?:{_OPENERS})\b", re.IGNORECASE)
_QUESTION_MARK = re.compile(r"[?？¿]")


def is_question(text: str) -> bool:
    return bool(_QUESTION_MARK.search(text) or _QUESTION_OPENER.search(text[:2000]))


@dataclass(frozen=True)
class Reasons:
    negative: bool = False
    question: bool = False
    high_reach: bool = False

    def __bool__(self) -> bool:
        return self.negative or self.question or self.high_reach


def reasons(
    text: str, sentiment: str, reach: int | None, spam_score: float, *, min_reach: int,
    spam_threshold: float = 0.5,
) -> Reasons:  # fmt: skip
    """Why a mention needs an answer (none of the reasons for spam)."""
    if spam_score >= spam_threshold:
        return Reasons()
    return Reasons(
        negative=sentiment == "negative",
        question=is_question(text),
        high_reach=reach is not None and reach >= min_reach,
    )
