"""questions: does the mention ask something? The inbox answers questions."""

from __future__ import annotations

import re

from .base import Context
from .items import Item

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


def questions(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        item.question = is_question(f"{item.title}\n{item.text}" if item.title else item.text)
    return batch
