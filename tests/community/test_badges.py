"""Badges are earned by rules over what everyone can see, given once, whatever the
number of rounds or workers."""

import pytest

from earful.community.actions.answers import accept_answer
from earful.community.actions.posts import answer_question, ask_question
from earful.community.actions.reputation import adjust
from earful.community.actions.votes import vote
from earful.community.badges import RULES, award_badges
from earful.community.defaults import BADGES
from earful.community.models import (
    AmbassadorReport,
    Answer,
    Badge,
    BadgeAward,
    Decision,
    Question,
    State,
)

pytestmark = pytest.mark.django_db


def held_by(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge__slug", flat=True))


def test_every_seeded_badge_has_a_rule():
    assert {rule for *_, rule, _ in BADGES} <= set(RULES)
    assert Badge.objects.count() == len(BADGES)


def test_asking_answering_and_an_accepted_answer_earn_their_badges(question, answer, asker):
    accept_answer(answer, asker)
    result = award_badges()
    assert held_by(asker) == {"curious"}
    assert held_by(answer.author) == {"helper", "solver"}
    assert result.new == {"curious": 1, "helper": 1, "solver": 1}


def test_a_second_round_gives_nothing_new(question, answer, asker):
    award_badges()
    awards = BadgeAward.objects.count()
    assert award_badges().total == 0
    assert BadgeAward.objects.count() == awards


def test_held_and_removed_posts_do_not_count(asker, category, helper):
    asked = ask_question(
        asker, title="Does the Arc 5 charge wirelessly?", body="I cannot find it in the specs.",
        category=category,
    )  # fmt: skip
    Question.objects.filter(pk=asked.pk).update(state=State.HELD)
    award_badges()
    assert held_by(asker) == set()


def test_scores_and_thresholds(answer, make_member):
    voters = [make_member(f"voter{n}", points=20) for n in range(5)]
    for voter in voters[:4]:
        vote(answer, voter, 1)
    award_badges()
    assert "teacher" not in held_by(answer.author)  # 4 < 5
    vote(answer, voters[4], 1)
    award_badges()
    assert "teacher" in held_by(answer.author)
    assert "great-answer" not in held_by(answer.author)


def test_votes_cast_counts_votes_on_any_post(category, make_member, voter):
    badge = Badge.objects.get(slug="voter")
    badge.threshold = 3
    badge.save()
    writer = make_member("writer")
    for n in range(3):
        posted = ask_question(
            writer, title=f"Tide Buds question number {n}", body=f"Body of the question {n}.",
            category=category,
        )  # fmt: skip
        vote(posted, voter, 1)
    award_badges()
    assert "voter" in held_by(voter)


def test_level_and_approved_reports(make_member, staff, category):
    trusted = make_member("tessa")
    adjust(trusted, 600, actor=staff, note="migrated from the old forum")  # level 3 at 500
    reporter = make_member("rita")
    AmbassadorReport.objects.create(
        user=reporter, place="Café Nord", audience="two students", said="Loves the buds",
        product=category, state=Decision.APPROVED,
    )  # fmt: skip
    AmbassadorReport.objects.create(
        user=make_member("pia"), place="Bus", audience="a driver", said="Meh",
        state=Decision.PENDING,
    )  # fmt: skip
    award_badges()
    assert "trusted" in held_by(trusted)
    assert held_by(reporter) == {"ambassador"}
    assert BadgeAward.objects.filter(badge__slug="ambassador").count() == 1


def test_inactive_badges_and_unknown_rules_are_skipped(question, asker):
    Badge.objects.filter(slug="curious").update(active=False)
    Badge.objects.create(slug="odd", name="Odd", description="?", rule="no_such_rule")
    result = award_badges()
    assert result.unknown_rules == ["odd"]
    assert "curious" not in held_by(asker)


def test_badges_are_kept_when_the_post_goes(question, asker):
    award_badges()
    Question.objects.filter(pk=question.pk).update(state=State.REMOVED)
    award_badges()
    assert held_by(asker) == {"curious"}


def test_one_query_per_rule(question, answer, django_assert_max_num_queries):
    active = Badge.objects.filter(active=True).count()
    # the badge list, then per badge: its rule's query and at most one insert
    with django_assert_max_num_queries(1 + 2 * active):
        award_badges()


def test_answers_of_deleted_accounts_are_skipped(question, helper):
    answer = answer_question(question, helper, "Reset the network settings and pair again.")
    Answer.objects.filter(pk=answer.pk).update(author=None)
    award_badges()
    assert not BadgeAward.objects.filter(badge__slug="helper").exists()
