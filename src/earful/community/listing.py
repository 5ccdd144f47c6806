"""What the question list reads: published questions filtered by text, category, tag and
whether they are answered, in one of four orders, each served by an index of Question."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import Category, Question, State, Tag
from .text_search import question_condition

SORTS = {
    "active": "Recent activity",
    "newest": "Newest",
    "votes": "Most votes",
    "unanswered": "Unanswered",
}
STATES = {
    "": "Any question",
    "answered": "Answered",
    "unanswered": "No answers yet",
    "solved": "Solved",
    "unsolved": "Not solved",
}
ORDERS = {
    "active": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-created_at", "-id"),
    "unanswered": ("-score", "-created_at", "-id"),
}


@dataclass
class QuestionFilter:
    """The list's search: every given part narrows the list, and they combine."""

    text: str = ""
    category: Category | None = None
    tag: Tag | None = None
    answered: str = ""  # a key of STATES
    sort: str = "active"
    errors: list[str] = field(default_factory=list)


def live_questions() -> QuerySet[Question]:
    return Question.objects.filter(state=State.PUBLISHED)


def filtered_questions(question_filter: QuestionFilter) -> QuerySet[Question]:
    """Published questions matching every part of the filter, in its order. A malformed
    text query is reported in question_filter.errors and matches nothing."""
    questions = live_questions().select_related("category", "author")
    if question_filter.category is not None:
        questions = questions.filter(category=question_filter.category)
    if question_filter.tag is not None:
        questions = questions.filter(tags=question_filter.tag)
    answered = question_filter.answered
    sort = question_filter.sort if question_filter.sort in SORTS else "active"
    if answered == "answered":
        questions = questions.filter(answer_count__gt=0)
    elif answered == "unanswered":
        questions = questions.filter(answer_count=0)
    elif answered == "solved":
        questions = questions.filter(accepted_answer__isnull=False)
    elif answered == "unsolved":
        questions = questions.filter(accepted_answer__isnull=True)
    if sort == "unanswered":  # Stack Overflow's tab: no answer yet, best questions first
        questions = questions.filter(answer_count=0)
    if question_filter.text.strip():
        try:
            condition = question_condition(question_filter.text)
        except ValueError as exc:
            question_filter.errors.append(f"The search does not read: {exc}")
            return questions.none()
        questions = questions.filter(condition)
    return questions.order_by(*ORDERS[sort])


def tags_of(question_ids: list[int]) -> dict[int, list[Tag]]:
    """The tags of these questions, in one query: {question id: [tags by name]}."""
    through = Question.tags.through
    found: dict[int, list[Tag]] = {pk: [] for pk in question_ids}
    rows = through.objects.filter(question_id__in=question_ids).select_related("tag")
    for row in rows.order_by("tag__name"):
        found[row.question_id].append(row.tag)
    return found
