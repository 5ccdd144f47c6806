"""Whatever order votes, changed votes, withdrawals, acceptances and official marks come
in, every member's points equal the sum of their ledger lines and equal what the final
state of the posts is worth, and each post's score is the sum of its votes."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from earful.community.actions.answers import accept_answer, mark_official, unaccept_answer
from earful.community.actions.posts import answer_question, ask_question
from earful.community.actions.votes import unvote, vote
from earful.community.defaults import POINTS
from earful.community.models import Answer, Category, Member, Question, ReputationEvent, Vote

pytestmark = pytest.mark.django_db

VOTERS = 3
POSTS = 3  # the question and two answers

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.integers(0, VOTERS - 1),
            st.integers(0, POSTS - 1),
            st.sampled_from([1, -1]),
        ),
        st.tuples(st.just("unvote"), st.integers(0, VOTERS - 1), st.integers(0, POSTS - 1)),
        st.tuples(st.just("accept"), st.integers(1, POSTS - 1)),
        st.tuples(st.just("unaccept")),
        st.tuples(st.just("official"), st.integers(1, POSTS - 1), st.booleans()),
    ),
    max_size=25,
)


def _points(kind: str) -> int:
    return POINTS[kind][0]


def expected_points(users) -> dict[int, int]:
    """What the posts' final state is worth to each member (no daily cap in play)."""
    worth = {user.pk: 0 for user in users}
    for cast in Vote.objects.select_related("question", "answer"):
        if cast.question_id:
            kind = "question_upvoted" if cast.value == 1 else "question_downvoted"
            worth[cast.question.author_id] += _points(kind)
        else:
            kind = "answer_upvoted" if cast.value == 1 else "answer_downvoted"
            worth[cast.answer.author_id] += _points(kind)
            if cast.value == -1:
                worth[cast.user_id] += _points("downvote_cast")
    for answer in Answer.objects.select_related("question"):
        if answer.is_accepted and answer.author_id != answer.question.author_id:
            worth[answer.author_id] += _points("answer_accepted")
            worth[answer.question.author_id] += _points("accepted_answer")
        if answer.is_official and answer.author_id != answer.official_by_id:
            worth[answer.author_id] += _points("answer_official")
    return worth


@examples(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=operations)
def test_points_always_match_the_ledger_and_the_posts(
    steps, django_user_model, user_with_roles, settings
):
    cache.clear()
    with transaction.atomic():
        settings.EARFUL_COMMUNITY_DAILY_CAP = 10_000
        people = [
            django_user_model.objects.create_user(name)
            for name in ("asker", "answerer1", "answerer2", "v0", "v1", "v2")
        ]
        staff = user_with_roles("responder", username="staffer")
        for person in people:
            Member.objects.create(user=person)
        asker, first, second, *voters = people
        category = Category.objects.create(name="Phones", slug="phones")
        question = ask_question(
            asker,
            title="Screen flickers at low brightness",
            body="The screen flickers below 20% brightness since the update.",
            category=category,
        )
        posts = [
            question,
            answer_question(question, first, "Turn off adaptive refresh in display settings."),
            answer_question(question, second, "A factory reset fixed the flicker for me."),
        ]
        for step in steps:
            if step[0] == "vote":
                vote(posts[step[2]], voters[step[1]], step[3])
            elif step[0] == "unvote":
                unvote(posts[step[2]], voters[step[1]])
            elif step[0] == "accept":
                accept_answer(posts[step[1]], asker)
            elif step[0] == "unaccept":
                unaccept_answer(question, asker)
            else:
                mark_official(posts[step[1]], staff, official=step[2])
        everyone = [*people, staff]
        worth = expected_points(everyone)
        for person in everyone:
            ledger = ReputationEvent.objects.filter(user=person).aggregate(s=Sum("points"))["s"]
            member_points = Member.objects.filter(user=person).values_list("points", flat=True)
            assert (ledger or 0) == worth[person.pk]
            assert (member_points.first() or 0) == worth[person.pk]
        for post in posts:
            post.refresh_from_db()
            target = {"question": post} if isinstance(post, Question) else {"answer": post}
            votes = Vote.objects.filter(**target).aggregate(s=Sum("value"))["s"] or 0
            assert post.score == votes
        accepted = Answer.objects.filter(is_accepted=True).values_list("pk", flat=True)
        question.refresh_from_db()
        assert list(accepted) == (
            [question.accepted_answer_id] if question.accepted_answer_id else []
        )
        transaction.set_rollback(True)
