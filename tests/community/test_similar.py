"""Similar questions before asking: the river's shared scoring (river/owned_similar.py)
over the community's question mentions, and the text search the list uses."""

import pytest

from earful.community.actions.posts import ask_question
from earful.community.models import Question, State
from earful.community.river_link import withdraw
from earful.community.similar import similar_questions
from earful.community.text_search import question_condition
from earful.river.query import QuerySyntaxError

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(make_member, category):
    asker = make_member("prolific", points=2500)
    texts = {
        "battery": ("Battery drains overnight on the Arc 5", "It loses 40% with the screen off."),
        "wifi": ("Wifi keeps dropping on the Arc 5", "It disconnects every few minutes."),
        "case": ("Earbuds case does not charge", "The case light blinks red all night."),
    }
    return {
        key: ask_question(asker, title=title, body=body, category=category)
        for key, (title, body) in texts.items()
    }


def test_a_draft_in_other_words_finds_the_question(questions):
    found = similar_questions("My Arc 5 battery drains at night")
    assert found[0].question == questions["battery"]
    assert 0 < found[0].score <= 1


def test_unrelated_drafts_and_empty_drafts_find_nothing(questions):
    assert similar_questions("Refund for a broken parcel delivery") == []
    assert similar_questions("") == [] and similar_questions("the and of") == []


def test_questions_out_of_the_river_are_not_suggested(questions):
    battery = questions["battery"]
    Question.objects.filter(pk=battery.pk).update(state=State.HIDDEN)
    withdraw(battery)
    assert all(s.question != battery for s in similar_questions("Arc 5 battery drains"))


def test_the_question_itself_can_be_left_out(questions):
    battery = questions["battery"]
    found = similar_questions(battery.title, battery.body, exclude=battery.pk)
    assert battery not in [s.question for s in found]


def test_ideas_are_not_suggested_as_questions(questions, db, django_user_model):
    from earful.board.actions.ideas import submit_idea

    customer = django_user_model.objects.create_user("cus")
    submit_idea(customer, title="Arc 5 battery drains overnight", body="Fix the battery drain.")
    assert all(isinstance(s.question, Question) for s in similar_questions("battery drains"))
    assert len(similar_questions("battery drains overnight")) == 1


def test_hostile_drafts_are_harmless(questions):
    for draft in ['" OR 1=1 --', "NEAR(a b)", "*", "x" * 100_000, "wifi\x00arc", "'; DROP"]:
        similar_questions(draft, draft)


def _matching(query: str) -> set[str]:
    return set(Question.objects.filter(question_condition(query)).values_list("title", flat=True))


def test_text_search_speaks_the_river_query_language(questions):
    assert _matching("arc") == {
        "Battery drains overnight on the Arc 5",
        "Wifi keeps dropping on the Arc 5",
    }
    assert _matching("arc -wifi") == {"Battery drains overnight on the Arc 5"}
    assert _matching('"blinks red"') == {"Earbuds case does not charge"}
    assert _matching("case OR wifi") == {
        "Earbuds case does not charge",
        "Wifi keeps dropping on the Arc 5",
    }
    with pytest.raises(QuerySyntaxError):
        question_condition("arc (")
