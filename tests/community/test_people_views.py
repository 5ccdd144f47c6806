"""Profiles and leaderboards: points, level and progress, privileges, badges, posts, the
public ledger, and who leads this week, this month and of all time."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earful.community import leaderboard
from earful.community.actions import reputation
from earful.community.actions.answers import accept_answer
from earful.community.actions.votes import vote
from earful.community.models import Badge, BadgeAward, EventKind, Level, ReputationEvent
from earful.community.people_views import level_progress

pytestmark = pytest.mark.django_db


def page_of(client, username: str) -> str:
    response = client.get(reverse("community:profile", args=[username]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_profile_shows_points_level_progress_and_the_ledger(client, question, answer, helper):
    accept_answer(answer, question.author)
    BadgeAward.objects.create(badge=Badge.objects.get(slug="solver"), user=helper)
    page = page_of(client, "hugo")
    assert '<strong id="points">15</strong>' in page
    assert '<strong id="level">1</strong>: <span id="level-name">Member</span>' in page
    assert "85 points to level 2, Regular" in page
    assert '<dd id="accepted">1</dd>' in page
    assert "Solver" in page
    assert "Answer accepted: <a" in page and question.title in page
    assert "✓ Post links without review" in page
    assert "○ Edit others" in page


def test_the_ledger_shows_reversals_and_adjustments_with_their_reason(
    client, answer, helper, voter, staff
):
    vote(answer, voter, 1)
    vote(answer, voter, 1)  # taken back
    reputation.adjust(helper, 5, actor=staff, note="welcome gift")
    page = page_of(client, "hugo")
    assert "+10" in page and "-10" in page and "Reversal" in page
    assert "(welcome gift)" in page


def test_the_ledger_does_not_name_questions_that_are_gone(client, question, answer, staff):
    from earful.community.actions import moderation

    accept_answer(answer, question.author)
    assert question.title in page_of(client, "hugo")
    moderation.remove(question, staff, "off topic")
    page = page_of(client, "hugo")
    assert "Answer accepted" in page and question.title not in page


def test_a_user_without_a_member_row_has_an_empty_profile(client, django_user_model):
    django_user_model.objects.create_user("lurker")
    page = page_of(client, "lurker")
    assert '<strong id="points">0</strong>' in page and "No points yet" in page


def test_unknown_and_hostile_usernames_are_404(client):
    assert client.get(reverse("community:profile", args=["nobody"])).status_code == 404
    assert client.get("/community/users/%3Cscript%3E/").status_code == 404
    assert client.get("/community/users/" + "x" * 5000 + "/").status_code == 404


def test_level_progress_between_thresholds():
    levels = list(Level.objects.order_by("threshold"))
    assert level_progress(0, levels)["percent"] == 0
    halfway = level_progress(57, levels)  # Member at 15, Regular at 100
    assert halfway["current"].name == "Member" and halfway["next"].name == "Regular"
    assert halfway["percent"] == 49 and halfway["missing"] == 43
    top = level_progress(10_000, levels)
    assert top["next"] is None and top["percent"] == 100


def _line(user, points: int, when: datetime, key: str) -> None:
    """A ledger line dated `when`, as the award action would leave it."""
    from earful.community.models import Member

    ReputationEvent.objects.create(
        user=user, kind=EventKind.ADJUSTMENT, points=points, key=key, created_at=when
    )
    member = Member.objects.get(user=user)
    member.points += points
    member.save()


@pytest.fixture
def race(make_member):
    """Three members: old points for ana, this month's for ben, this week's for cai."""
    ana, ben, cai = (make_member(name) for name in ("ana", "ben", "cai"))
    now = timezone.now()
    _line(ana, 500, now - timedelta(days=400), "a1")
    _line(ben, 40, now - timedelta(days=40), "b0")
    _line(ben, 60, leaderboard.period_start("month") + timedelta(minutes=1), "b1")
    _line(cai, 30, now - timedelta(minutes=5), "c1")
    _line(cai, -5, now - timedelta(minutes=4), "c2")
    return ana, ben, cai


def test_leaderboards_sum_the_ledger_in_each_period(race):
    ana, ben, cai = race
    assert [(s.username, s.points) for s in leaderboard.top("all")] == [
        ("ana", 500), ("ben", 100), ("cai", 25),
    ]  # fmt: skip
    month = [(s.username, s.points) for s in leaderboard.top("month")]
    assert month[:1] == [("ben", 60)] and ("cai", 25) in month and ("ana", 500) not in month
    week = [(s.username, s.points) for s in leaderboard.top("week")]
    assert ("cai", 25) in week and ("ana", 500) not in week
    assert leaderboard.rank_of(cai, "all") == (3, 25)
    assert leaderboard.rank_of(ana, "week") is None


def test_equal_points_share_a_rank(make_member):
    now = timezone.now()
    for n, name in enumerate(("dee", "eli", "fay")):
        _line(make_member(name), 20 if n < 2 else 10, now, f"k{n}")
    standings = leaderboard.top("all")
    assert [s.rank for s in standings] == [1, 1, 3]


def test_the_leaderboard_page_shows_the_readers_rank(race):
    ana, ben, cai = race
    client = Client()
    client.force_login(cai)
    page = client.get(reverse("community:leaderboard"), {"period": "all"}).content.decode()
    assert "You are <strong>#3</strong> with 25 points" in page
    table = page[page.index('class="leaderboard"') :]
    assert table.index(">ana<") < table.index(">ben<") < table.index(">cai<")
    page = client.get(reverse("community:leaderboard")).content.decode()  # this week
    assert 'aria-current="page">This week' in page
    client.force_login(ana)
    page = client.get(reverse("community:leaderboard"), {"period": "week"}).content.decode()
    assert "You have no points in this period" in page


def test_a_bad_period_falls_back_to_the_week(client, race):
    response = client.get(reverse("community:leaderboard"), {"period": "<script>"})
    assert response.status_code == 400 and b"<script>" not in response.content
    assert client.get(reverse("community:leaderboard"), {"period": "month"}).status_code == 200
