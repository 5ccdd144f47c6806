"""The board's search: text, status, category and sort combine."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earful.board.actions.statuses import change_status
from earful.board.models import Category, Idea, Vote
from earful.board.queries import BoardFilter, filtered_ideas
from earful.board.trending import rescore

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(make_idea, staff, status_of, category):
    mobile = Category.objects.create(name="Mobile app", slug="mobile")
    ideas = {
        "csv": make_idea("CSV export of reports", category=category),
        "pdf": make_idea("PDF export of reports", category=category),
        "dark": make_idea("Dark mode in the mobile app", category=mobile),
        "offline": make_idea("Offline mode for the mobile app", category=mobile),
    }
    change_status(ideas["pdf"], status_of("planned"), "", staff)
    change_status(ideas["offline"], status_of("planned"), "", staff)
    return ideas


def _titles(**kwargs):
    return [idea.title for idea in filtered_ideas(BoardFilter(**kwargs))]


def test_text_alone_uses_the_river_query_language(board):
    assert set(_titles(text="export")) == {"CSV export of reports", "PDF export of reports"}
    assert _titles(text="export -pdf") == ["CSV export of reports"]
    assert set(_titles(text="csv OR dark")) == {
        "CSV export of reports",
        "Dark mode in the mobile app",
    }
    assert _titles(text='"mode in the"') == ["Dark mode in the mobile app"]


def test_text_status_and_category_combine(board, status_of, category):
    planned = status_of("planned")
    assert _titles(text="export", status=planned) == ["PDF export of reports"]
    assert _titles(text="mode", status=planned) == ["Offline mode for the mobile app"]
    assert _titles(text="mode", category=category) == []
    mobile = Category.objects.get(slug="mobile")
    assert _titles(status=planned, category=mobile) == ["Offline mode for the mobile app"]
    assert _titles(text="dark", status=planned, category=mobile) == []


def test_a_malformed_query_is_reported_and_matches_nothing(board):
    board_filter = BoardFilter(text="export (")
    assert list(filtered_ideas(board_filter)) == []
    assert "never closed" in board_filter.errors[0]


def test_sorts(board, make_idea, django_user_model):
    voters = [django_user_model.objects.create_user(f"v{n}") for n in range(3)]
    now = timezone.now()
    # pdf: 3 old votes (top); dark: 2 fresh votes (trending); csv: 1 vote yesterday.
    for voter in voters:
        _vote(board["pdf"], voter, now - timedelta(days=20))
    for voter in voters[:2]:
        _vote(board["dark"], voter, now - timedelta(hours=1))
    _vote(board["csv"], voters[0], now - timedelta(days=10))
    assert _titles(sort="top")[:3] == [
        "PDF export of reports", "Dark mode in the mobile app", "CSV export of reports",
    ]  # fmt: skip
    assert _titles(sort="trending")[:2] == ["Dark mode in the mobile app", "CSV export of reports"]
    assert _titles(sort="newest")[0] == "Offline mode for the mobile app"
    assert _titles(sort="oldest")[0] == "CSV export of reports"
    assert _titles(sort="nonsense") == _titles(sort="newest")
    assert _titles(text="export", sort="top") == ["PDF export of reports", "CSV export of reports"]


def _vote(idea, user, at):
    """A vote cast at `at`, with the idea's counters as the vote action and the worker's
    hourly trending round would leave them."""
    Vote.objects.create(idea=idea, user=user, created_at=at)
    Idea.objects.filter(pk=idea.pk).update(vote_count=idea.votes.count())
    rescore(idea.pk)


def test_held_removed_and_merged_ideas_are_not_listed(board, staff):
    from earful.board.actions.ideas import moderate_idea

    moderate_idea(board["csv"], "remove", staff)
    Idea.objects.filter(pk=board["dark"].pk).update(merged_into=board["offline"])
    assert set(_titles()) == {"PDF export of reports", "Offline mode for the mobile app"}
