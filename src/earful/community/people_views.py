"""The community's people: a member's profile (points, level and what it unlocks, badges,
posts, the public lines of their ledger) and the leaderboards."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import leaderboard
from .actions.reputation import privileges
from .models import Answer, BadgeAward, Level, Member, Question, ReputationEvent, State
from .permissions import can_manage

RECENT_POSTS = 20
LEDGER_LINES = 30


def level_progress(points: int, levels: list[Level]) -> dict:
    """The level reached, the next one, and how far along the way to it (0..100)."""
    current = None
    following = None
    for level in levels:  # by threshold
        if level.threshold <= points:
            current = level
        elif following is None:
            following = level
    percent = 100
    if following is not None:
        base = current.threshold if current else 0
        span = max(1, following.threshold - base)
        percent = max(0, min(100, round(100 * (points - base) / span)))
    return {
        "current": current,
        "next": following,
        "percent": percent,
        "missing": following.threshold - points if following else 0,
    }


def profile(request: HttpRequest, username: str) -> HttpResponse:
    user_model = get_user_model()
    person = get_object_or_404(user_model, **{user_model.USERNAME_FIELD: username})
    member = Member.objects.filter(user=person).first() or Member(user=person)
    levels = list(Level.objects.order_by("threshold"))
    held = privileges(person)
    own = request.user.is_authenticated and request.user.pk == person.pk
    questions = Question.objects.filter(author=person, state=State.PUBLISHED).order_by(
        "-created_at", "-id"
    )
    answers = (
        Answer.objects.filter(author=person, state=State.PUBLISHED, question__state=State.PUBLISHED)
        .select_related("question")
        .order_by("-is_accepted", "-score", "-created_at")
    )
    ledger = ReputationEvent.objects.filter(user=person).select_related("question")
    context = {
        "person": person,
        "member": member,
        "own": own,
        "staff": can_manage(request.user),
        "progress": level_progress(member.points, levels),
        "privileges": [(p, label, p in held) for p, label in Level.Privilege.choices],
        "badges": BadgeAward.objects.filter(user=person).select_related("badge"),
        "questions": questions[:RECENT_POSTS],
        "question_total": questions.count(),
        "answers": answers[:RECENT_POSTS],
        "answer_total": answers.count(),
        "ledger": ledger[:LEDGER_LINES],
        "week": leaderboard.period_total(person, "week"),
        "month": leaderboard.period_total(person, "month"),
        "levels": levels,
    }
    return render(request, "community/profile.html", context)


def leaderboard_page(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "week")
    status = 200
    if period not in leaderboard.PERIODS:
        period, status = "week", 400
    levels = dict(Level.objects.values_list("number", "name"))
    context = {
        "period": period,
        "periods": leaderboard.PERIODS,
        "standings": [(s, levels.get(s.level, "")) for s in leaderboard.top(period)],
        "mine": leaderboard.rank_of(request.user, period),
        "levels": levels,
        "top": leaderboard.TOP,
    }
    return render(request, "community/leaderboard.html", context, status=status)
