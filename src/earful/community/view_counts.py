"""Question views, counted cheaply: a reader (a signed-in user, else an address) counts
once per question per hour, so reloading a page does not inflate its views. The readers
seen are kept in the process's memory (process_cache.py); with many web processes a
reader may count once per process in the hour: views are a popularity hint, not a ledger.
"""

from __future__ import annotations

from django.db.models import F

from .models import Question
from .process_cache import ProcessCache

WINDOW = 3600  # seconds in which a reader's views of one question count once
REMEMBERED = 100_000  # readers × questions kept; the oldest are forgotten first

seen = ProcessCache(REMEMBERED, WINDOW)


def count_view(question: Question, reader: str) -> None:
    """Add one view to the question if this is the reader's first view in the window."""
    if seen.add((question.pk, reader)):
        Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
        question.view_count += 1
