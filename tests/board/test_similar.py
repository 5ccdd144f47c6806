import pytest

from earful.board.actions.ideas import moderate_idea
from earful.board.similar import content_words, similar_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(make_idea):
    return {
        "csv": make_idea("CSV export of the monthly reports", "Accountants want spreadsheets."),
        "dark": make_idea("Dark mode for the dashboard", "The white screen hurts at night."),
        "sso": make_idea("Single sign-on with Okta", "Log in with our company account."),
    }


def test_content_words_drop_stop_words_and_stem(db):
    assert content_words("Exporting the reports, please!") == ["export", "report", "please"]


def test_a_draft_in_other_words_and_order_finds_the_idea(board):
    found = similar_ideas("Export reports as CSV files")
    assert [s.idea for s in found][:1] == [board["csv"]]
    assert 0 < found[0].score <= 1


def test_a_near_copy_scores_higher_than_a_loose_match(board, make_idea):
    loose = similar_ideas("Monthly totals for accountants")
    close = similar_ideas("CSV export of the monthly report", "Accountants want spreadsheets.")
    assert close[0].idea == board["csv"]
    assert not loose or close[0].score > loose[0].score


def test_unrelated_drafts_find_nothing(board):
    assert similar_ideas("Faster checkout on mobile phones") == []
    assert similar_ideas("") == [] and similar_ideas("the and of it") == []


def test_removed_ideas_are_not_suggested(board, staff):
    moderate_idea(board["dark"], "remove", staff)
    assert similar_ideas("Dark mode please") == []


def test_hostile_drafts_are_harmless(board):
    for draft in ['" OR 1=1 --', "NEAR(a b)", "*", "x" * 100_000, "dark\x00mode", "'; DROP"]:
        similar_ideas(draft, draft)
