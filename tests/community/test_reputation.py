"""The reputation ledger: points from votes and acceptance, caps, reversals, levels, and
no double counting however the requests arrive."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from earful.community.actions import reputation
from earful.community.actions.answers import accept_answer, mark_official, unaccept_answer
from earful.community.actions.votes import unvote, vote
from earful.community.errors import CommunityError
from earful.community.models import EventKind, Member, PointRule, ReputationEvent


def points(user) -> int:
    return Member.objects.get(user=user).points


def ledger_sum(user) -> int:
    return ReputationEvent.objects.filter(user=user).aggregate(s=Sum("points"))["s"] or 0


def test_upvote_credits_the_author_and_withdrawing_reverses_it(answer, helper, voter):
    assert vote(answer, voter, 1) == 1
    assert points(helper) == 10
    assert vote(answer, voter, 1) == 0  # the same vote again takes it back
    assert points(helper) == 0
    kinds = list(ReputationEvent.objects.filter(user=helper).values_list("kind", "points"))
    assert sorted(kinds) == sorted([(EventKind.ANSWER_UPVOTED, 10), (EventKind.REVERSAL, -10)])
    assert ledger_sum(helper) == points(helper)


def test_downvote_costs_the_voter_a_point_on_answers_only(question, answer, helper, voter):
    vote(answer, voter, -1)
    assert points(helper) == -2
    assert points(voter) == 20 - 1
    vote(question, voter, -1)
    assert points(voter) == 19  # downvoting a question is free


def test_changing_a_vote_moves_its_points(answer, helper, voter):
    vote(answer, voter, 1)
    assert vote(answer, voter, -1) == -1
    assert points(helper) == -2
    assert points(voter) == 19
    unvote(answer, voter)
    assert points(helper) == 0 and points(voter) == 20
    assert ledger_sum(helper) == 0 and ledger_sum(voter) == 0


def test_no_votes_on_your_own_post(answer, helper):
    with pytest.raises(CommunityError, match="own post"):
        vote(answer, helper, 1)


def test_a_vote_is_counted_once_even_when_replayed(answer, helper, voter):
    vote(answer, voter, 1)
    reputation.award(helper, EventKind.ANSWER_UPVOTED, ReputationEvent.objects.get().key)
    assert points(helper) == 10
    assert ReputationEvent.objects.count() == 1


def test_a_line_is_reversed_once(answer, helper, voter):
    vote(answer, voter, 1)
    key = ReputationEvent.objects.get().key
    assert reputation.reverse(key) is not None
    assert reputation.reverse(key) is None
    assert points(helper) == 0


def test_daily_cap_stops_vote_points_and_reversal_gives_room_back(
    settings, answer, helper, make_member
):
    settings.EARFUL_COMMUNITY_DAILY_CAP = 25
    voters = [make_member(f"fan{i}") for i in range(4)]
    for fan in voters:
        vote(answer, fan, 1)
    assert points(helper) == 25  # 10 + 10 + 5 + 0
    credited = list(
        ReputationEvent.objects.filter(user=helper)
        .order_by("id")
        .values_list("points", "rule_points")
    )
    assert credited == [(10, 10), (10, 10), (5, 10), (0, 10)]
    vote(answer, voters[0], 1)  # taken back: 10 of room again
    assert points(helper) == 15
    vote(answer, voters[0], 1)
    assert points(helper) == 25


def test_cap_is_per_day_and_leaves_acceptance_alone(
    settings, question, answer, asker, helper, voter
):
    settings.EARFUL_COMMUNITY_DAILY_CAP = 10
    vote(answer, voter, 1)
    accept_answer(answer, asker)
    assert points(helper) == 10 + 15
    yesterday = timezone.now() - timedelta(days=1)
    ReputationEvent.objects.filter(user=helper).update(created_at=yesterday)
    assert reputation.award(helper, EventKind.HELPFUL_FLAG, "flag:1").points == 2


def test_accepting_credits_both_and_moving_it_moves_the_points(
    question, answer, asker, helper, make_member
):
    from earful.community.actions.posts import answer_question

    accept_answer(answer, asker)
    assert points(helper) == 15 and points(asker) == 2
    other = make_member("otto")
    second = answer_question(question, other, "Reset the network settings, that fixed it for me.")
    accept_answer(second, asker)
    assert points(helper) == 0 and points(other) == 15 and points(asker) == 2
    question.refresh_from_db()
    assert question.accepted_answer_id == second.pk
    assert Member.objects.get(user=helper).accepted_answers == 0
    unaccept_answer(question, asker)
    assert points(other) == 0 and points(asker) == 0
    accept_answer(answer, asker)  # accepting again is a new cause, credited again
    assert points(helper) == 15 and points(asker) == 2
    for person in (helper, other, asker):
        assert ledger_sum(person) == points(person)


def test_only_the_asker_or_staff_accept(question, answer, voter, staff, helper):
    with pytest.raises(CommunityError, match="asked"):
        accept_answer(answer, voter)
    accept_answer(answer, staff)
    assert points(helper) == 15


def test_own_answer_accepted_earns_nothing(question, asker):
    from earful.community.actions.posts import answer_question

    own = answer_question(question, asker, "Found it myself: the beta firmware fixes this.")
    accept_answer(own, asker)
    assert points(asker) == 0


def test_official_answer_points_and_unmarking(answer, helper, staff, voter):
    with pytest.raises(CommunityError):
        mark_official(answer, voter)
    mark_official(answer, staff)
    assert points(helper) == 10
    mark_official(answer, staff, official=False)
    assert points(helper) == 0


def test_levels_follow_points_both_ways(answer, helper, make_member):
    fans = [make_member(f"f{i}") for i in range(2)]
    vote(answer, fans[0], 1)
    assert Member.objects.get(user=helper).level == 0
    vote(answer, fans[1], 1)
    assert Member.objects.get(user=helper).level == 1  # 20 points >= 15
    assert reputation.has_privilege(helper, "post_links")
    unvote(answer, fans[1])
    assert Member.objects.get(user=helper).level == 0
    assert not reputation.has_privilege(helper, "post_links")


def test_point_rules_come_from_the_admin(answer, helper, voter):
    PointRule.objects.filter(kind=EventKind.ANSWER_UPVOTED).update(points=7)
    vote(answer, voter, 1)
    assert points(helper) == 7


def test_adjustment_needs_a_reason_and_recount_agrees(helper, staff):
    with pytest.raises(ValueError):
        reputation.adjust(helper, 5, actor=staff, note=" ")
    reputation.adjust(helper, 50, actor=staff, note="meetup host")
    Member.objects.filter(user=helper).update(points=999)
    assert reputation.recount(helper) == (999, 50)
    assert points(helper) == 50


def test_setting_the_same_vote_again_changes_nothing(answer, helper, voter):
    assert vote(answer, voter, 1, toggle=False) == 1
    assert vote(answer, voter, 1, toggle=False) == 1
    assert points(helper) == 10 and ReputationEvent.objects.count() == 1
    assert vote(answer, voter, -1, toggle=False) == -1
    assert points(helper) == -2
