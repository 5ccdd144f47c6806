from datetime import timedelta

import pytest
from django.utils import timezone

from earful.board.actions.votes import unvote, vote
from earful.board.models import Idea, Vote
from earful.board.trending import rescore, rescore_all, weight

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(make_idea):
    return {"csv": make_idea("CSV export of reports"), "pdf": make_idea("PDF export of reports")}


def test_a_recent_vote_weighs_more_than_an_older_one():
    assert weight(timedelta(hours=3)) == 4
    assert weight(timedelta(days=5)) == 2
    assert weight(timedelta(days=10)) == 1
    assert weight(timedelta(days=15)) == 0


def test_votes_rescore_their_idea_at_once(board, django_user_model):
    fan = django_user_model.objects.create_user("fan")
    vote(board["csv"], fan)
    assert Idea.objects.get(pk=board["csv"].pk).trend_score == 4
    unvote(board["csv"], fan)
    assert Idea.objects.get(pk=board["csv"].pk).trend_score == 0


def test_the_hourly_round_lets_votes_age_and_drop_out(board, django_user_model):
    now = timezone.now()
    for n, days in enumerate([1, 5, 10, 20]):
        user = django_user_model.objects.create_user(f"u{n}")
        Vote.objects.create(idea=board["pdf"], user=user, created_at=now - timedelta(days=days))
    assert rescore(board["pdf"].pk, now) == 4 + 2 + 1
    assert rescore_all(now + timedelta(days=3)) == 1  # three days later
    assert Idea.objects.get(pk=board["pdf"].pk).trend_score == 2 + 1 + 1  # 4, 8, 13 days old
    rescore_all(now + timedelta(days=30))
    assert Idea.objects.get(pk=board["pdf"].pk).trend_score == 0
    assert rescore_all(now + timedelta(days=30)) == 0  # nothing left to change
