"""Which mentions need an answer, and why. Plain Python: no Django in here."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Questions: a question mark, or a sentence that opens like a question in one of the
# languages the river detects best (English, French, German, Spanish).
_OPENERS = (
    # Question words; auxiliaries ("do", "can", "is" ...) only in phrases that ask, since
    # "Do not buy" and "Can't wait" open plenty of statements.
    "how|why|what|when|where|who|which|whose|"
    "anyone|anybody|any idea|is there|are there|has anyone|does anyone|can anyone|"
    "can someone|can i|can you|could you|could someone|do you|do i|does it|is it|is this|"
    "should i|will it|"
    "comment|pourquoi|quand|où|quel|quelle|quels|quelles|est-ce que|"
    "wie|warum|wieso|weshalb|wann|wo|welche|welcher|welches|gibt es|"
    "cómo|como|por qué|cuándo|dónde|quién|cuál|alguien sabe"
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
    spam_threshold: float = 0.5, reply_among_customers: bool = False,
) -> Reasons:  # fmt: skip
    """Why a mention needs an answer (none of the reasons for spam). A question in a reply
    to someone else's post on an external site asks that person, not the company."""
    if spam_score >= spam_threshold:
        return Reasons()
    return Reasons(
        negative=sentiment == "negative",
        question=not reply_among_customers and is_question(text),
        high_reach=reach is not None and reach >= min_reach,
    )
