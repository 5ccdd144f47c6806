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
# An opener counts at the start of the text or after a full stop, "!" or a line break
# and any white space. Only those places are tried: one search for "(?:^|[.!\n]\s*)..."
# tries the whole alternation at every character (4.6 -> 1.5 us per post).
_OPENER = re.compile(rf"(?:{_OPENERS})\b", re.IGNORECASE)
_OPENER_AFTER_SPACE = re.compile(rf"\s*(?:{_OPENERS})\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!\n]")


def is_question(text: str) -> bool:
    if "?" in text or "？" in text or "¿" in text:
        return True
    head = text[:2000]
    if _OPENER.match(head):
        return True
    after = _OPENER_AFTER_SPACE.match
    return any(after(head, end.end()) for end in _SENTENCE_END.finditer(head))


def questions(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        item.question = is_question(f"{item.title}\n{item.text}" if item.title else item.text)
    return batch
