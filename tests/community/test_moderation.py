"""Flags hide posts when trusted members agree; moderators approve, keep and remove posts,
resolve flags, and staff suspend members. Every decision is logged, and the river and the
ledger follow the post's state."""

import pytest
from django.utils import timezone

from earful.community.actions import moderation
from earful.community.actions.posts import answer_question, ask_question, comment_on
from earful.community.errors import CommunityError, Conflict, NotAllowed, NotFound
from earful.community.models import (
    Answer,
    EventKind,
    Flag,
    Member,
    ModerationLog,
    Question,
    ReputationEvent,
    State,
)
from earful.river.models import Mention


@pytest.fixture
def regulars(make_member):
    """Three members whose level (Regular, 100 points) makes their flags count."""
    return [make_member(f"reg{n}", points=150) for n in range(3)]


@pytest.fixture
def guide(make_member):
    """A member whose level (Guide, 2000 points) holds the moderate privilege."""
    return make_member("gwen", points=2500)


def points(user) -> int:
    return Member.objects.get(user=user).points


def test_three_trusted_flags_hide_an_answer_until_reviewed(answer, question, regulars):
    assert Mention.objects.filter(pk=answer.mention_id).exists()
    moderation.flag_post(regulars[0], answer, "rude")
    moderation.flag_post(regulars[1], answer, "rude")
    answer.refresh_from_db()
    assert answer.state == State.PUBLISHED
    moderation.flag_post(regulars[2], answer, "spam")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.state == State.HIDDEN
    assert (
        answer.mention_id is None
        and not Mention.objects.filter(external_id__startswith="answer-").exists()
    )
    assert question.answer_count == 0
    line = ModerationLog.objects.get()
    assert (line.action, line.target, line.actor) == ("hide", f"answer:{answer.pk}", None)


def test_flags_of_newcomers_are_queued_but_do_not_hide(answer, make_member, settings):
    settings.EARFUL_COMMUNITY_FLAGS_TO_HIDE = 1
    newcomer = make_member("nell")
    moderation.flag_post(newcomer, answer, "off_topic")
    answer.refresh_from_db()
    assert answer.state == State.PUBLISHED
    assert Flag.objects.filter(outcome=Flag.Outcome.OPEN).count() == 1


def test_one_flag_from_staff_hides_at_once(question, staff):
    moderation.flag_post(staff, question, "spam")
    question.refresh_from_db()
    assert question.state == State.HIDDEN and question.mention_id is None


def test_flag_rules(answer, helper, asker, regulars):
    with pytest.raises(NotAllowed, match="own post"):
        moderation.flag_post(helper, answer, "spam")
    with pytest.raises(CommunityError, match="why"):
        moderation.flag_post(asker, answer, "boring")
    with pytest.raises(CommunityError, match="note"):
        moderation.flag_post(asker, answer, "other", "   ")
    moderation.flag_post(asker, answer, "other", "Copied from the manual, word for word.")
    with pytest.raises(Conflict, match="already flagged"):
        moderation.flag_post(asker, answer, "spam")
    with pytest.raises(CommunityError, match="at most 500"):
        moderation.flag_post(regulars[0], answer, "rude", "x" * 501)
    member = Member.objects.get(user=regulars[1])
    member.suspended_until = timezone.now() + timezone.timedelta(days=1)
    member.save()
    with pytest.raises(NotAllowed, match="Suspended"):
        moderation.flag_post(regulars[1], answer, "rude")


def test_signed_out_visitors_cannot_flag(answer):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="Sign in"):
        moderation.flag_post(AnonymousUser(), answer, "spam")


def test_keep_restores_a_hidden_post_and_declines_its_flags(answer, question, regulars, guide):
    for user in regulars:
        moderation.flag_post(user, answer, "rude")
    moderation.keep(Answer.objects.get(pk=answer.pk), guide, "Blunt but correct.")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.state == State.PUBLISHED and answer.mention_id is not None
    assert question.answer_count == 1
    assert set(Flag.objects.values_list("outcome", flat=True)) == {Flag.Outcome.DECLINED}
    assert ReputationEvent.objects.filter(kind=EventKind.HELPFUL_FLAG).count() == 0
    assert ModerationLog.objects.filter(action="restore", actor=guide).exists()


def test_a_moderator_hides_a_post_without_flags_until_it_is_reviewed(answer, question, guide):
    assert Mention.objects.filter(pk=answer.mention_id).exists()
    moderation.act(answer, guide, "hide", "checking the claim")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.state == State.HIDDEN and question.answer_count == 0
    assert not Mention.objects.filter(pk=answer.mention_id).exists()
    line = ModerationLog.objects.get(action="hide")
    assert line.actor == guide and line.reason == "checking the claim"
    with pytest.raises(Conflict):
        moderation.hide(answer, guide)
    moderation.keep(answer, guide, "it holds")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.state == State.PUBLISHED and question.answer_count == 1
    assert ModerationLog.objects.filter(action="restore", actor=guide).exists()


def test_only_moderators_hide_and_never_their_own_post(answer, voter, helper, guide):
    with pytest.raises(NotAllowed):
        moderation.hide(answer, voter)
    with pytest.raises(NotAllowed):
        moderation.hide(answer, helper)  # the writer, and no moderator
    mine = answer_question(answer.question, guide, "Charge it overnight with the original cable.")
    with pytest.raises(NotAllowed):
        moderation.hide(mine, guide)
    with pytest.raises(CommunityError):
        moderation.hide(answer, guide, "x" * 501)
    assert Answer.objects.get(pk=answer.pk).state == State.PUBLISHED
    assert not ModerationLog.objects.exists()


def test_remove_as_spam_costs_the_writer_once_and_rewards_the_flaggers(
    answer, helper, regulars, guide
):
    moderation.flag_post(regulars[0], answer, "spam")
    before = points(regulars[0])
    moderation.remove(answer, guide, "Selling phone cases.", spam=True)
    answer.refresh_from_db()
    assert answer.state == State.REMOVED and answer.mention_id is None
    assert points(helper) == -100
    assert points(regulars[0]) == before + 2
    flag = Flag.objects.get()
    assert flag.outcome == Flag.Outcome.HELPFUL and flag.resolved_by == guide
    assert ReputationEvent.objects.filter(key=f"spam:answer:{answer.pk}").count() == 1
    with pytest.raises(Conflict, match="already removed"):
        moderation.remove(answer, guide, spam=True)
    assert points(helper) == -100
    line = ModerationLog.objects.get(action="remove_spam")
    assert line.target == f"answer:{answer.pk}" and line.reason == "Selling phone cases."


def test_approving_a_held_answer_publishes_and_counts_it(question, make_member, guide):
    newcomer = make_member("nico")
    held = answer_question(
        question, newcomer, "See https://example.org/fix for the fix, it worked."
    )
    assert held.state == State.HELD and held.mention_id is None
    question.refresh_from_db()
    assert question.answer_count == 0
    moderation.approve(held, guide)
    held.refresh_from_db()
    question.refresh_from_db()
    assert held.state == State.PUBLISHED and held.mention_id is not None
    assert question.answer_count == 1
    with pytest.raises(Conflict, match="held"):
        moderation.approve(held, guide)
    assert "links from a new member" in ModerationLog.objects.get(action="approve").reason


def test_approving_a_held_question_and_comment(category, make_member, guide, answer):
    newcomer = make_member("nina")
    question = ask_question(
        newcomer,
        title="Where is the manual for the Arc 5?",
        body="I looked on https://example.org but cannot find the manual anywhere.",
        category=category,
    )
    comment = comment_on(newcomer, "Also see https://example.org/faq please", answer=answer)
    assert question.state == comment.state == State.HELD
    moderation.approve(question, guide)
    moderation.approve(comment, guide)
    question.refresh_from_db()
    comment.refresh_from_db()
    assert question.mention_id and comment.mention_id


def test_moderators_are_staff_or_members_with_the_privilege(answer, voter, guide, staff):
    assert not moderation.is_moderator(voter)
    assert moderation.is_moderator(guide) and moderation.is_moderator(staff)
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.remove(answer, voter)
    Member.objects.filter(user=guide).update(
        suspended_until=timezone.now() + timezone.timedelta(days=2)
    )
    assert not moderation.is_moderator(guide)


def test_nobody_reviews_their_own_post_and_only_staff_touch_staff_posts(question, guide, staff):
    own = answer_question(question, guide, "I know this one: reset the network settings first.")
    with pytest.raises(NotAllowed, match="own post"):
        moderation.remove(own, guide)
    by_staff = answer_question(question, staff, "Official: update 5.1.2 fixes the battery drain.")
    with pytest.raises(NotAllowed, match="staff"):
        moderation.remove(by_staff, guide)
    moderation.remove(own, staff, "duplicate")
    assert Answer.objects.get(pk=own.pk).state == State.REMOVED


def test_resolving_single_flags(answer, asker, regulars, guide):
    helpful = moderation.flag_post(asker, answer, "off_topic")
    declined = moderation.flag_post(regulars[0], answer, "rude")
    moderation.resolve_flag(helpful, guide, True)
    moderation.resolve_flag(declined, guide, False, "It is not rude.")
    assert points(asker) == 2
    assert ReputationEvent.objects.filter(key=f"flag:{helpful.pk}").count() == 1
    with pytest.raises(Conflict, match="already resolved"):
        moderation.resolve_flag(helpful, guide, True)
    assert points(asker) == 2
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        "flag_helpful",
        "flag_declined",
    ]


def test_keep_needs_open_flags_on_a_published_post(answer, guide):
    with pytest.raises(Conflict, match="no open flags"):
        moderation.keep(answer, guide)


def test_bulk_actions_decide_each_post_on_its_own(question, make_member, guide):
    newcomer = make_member("nora")
    held = [
        answer_question(question, newcomer, f"Try https://example.org/fix-{n} it helped me a lot.")
        for n in range(3)
    ]
    own = answer_question(question, guide, "Reset the modem and pair again; that fixed mine.")
    targets = [f"answer:{a.pk}" for a in held] + [f"answer:{own.pk}", "answer:999999", "poll:1"]
    result = moderation.act_on_many(targets, guide, "approve")
    assert result.done == 3
    assert len(result.refused) == 3
    assert Answer.objects.filter(state=State.PUBLISHED).count() == 4
    question.refresh_from_db()
    assert question.answer_count == 4
    with pytest.raises(CommunityError, match="Choose"):
        moderation.act_on_many(targets, guide, "explode")


def test_find_post_refuses_bad_ids(answer):
    for kind, pk in (("answer", "x"), ("answer", -1), ("user", answer.pk), ("answer", 10**9)):
        with pytest.raises(NotFound):
            moderation.find_post(kind, pk)
    assert moderation.find_post("answer", str(answer.pk)) == answer


def test_staff_suspend_and_lift(helper, staff, guide, question):
    with pytest.raises(NotAllowed, match="Only staff"):
        moderation.suspend(helper, guide, 3, "spam")
    with pytest.raises(CommunityError, match="reason"):
        moderation.suspend(helper, staff, 3, "  ")
    with pytest.raises(CommunityError, match="1 to"):
        moderation.suspend(helper, staff, 0, "spam")
    with pytest.raises(NotAllowed, match="yourself"):
        moderation.suspend(staff, staff, 3, "testing")
    moderation.suspend(helper, staff, 3, "Spam links in every answer.")
    with pytest.raises(CommunityError, match="suspended until"):
        answer_question(question, helper, "One more answer while suspended, with many words.")
    moderation.lift_suspension(helper, staff, "Promised to stop.")
    assert not Member.objects.get(user=helper).is_suspended
    with pytest.raises(Conflict, match="not suspended"):
        moderation.lift_suspension(helper, staff)
    actions = list(ModerationLog.objects.order_by("id").values_list("action", "target"))
    assert actions == [("suspend", f"user:{helper.pk}"), ("unsuspend", f"user:{helper.pk}")]


def test_removing_a_hidden_question_keeps_it_out_of_the_river(question, staff, guide):
    moderation.flag_post(staff, question, "spam")
    moderation.remove(Question.objects.get(pk=question.pk), guide, spam=True)
    question.refresh_from_db()
    assert question.state == State.REMOVED and question.mention_id is None
    assert not Mention.objects.filter(external_id=f"question-{question.pk}").exists()


def test_staff_correct_points_on_the_ledger_and_in_the_log(helper, staff, guide):
    member = moderation.adjust_points(helper, staff, "25", "points from the old forum")
    assert member.points == 25
    line = ReputationEvent.objects.get(user=helper, kind=EventKind.ADJUSTMENT)
    assert (line.points, line.note, line.actor) == (25, "points from the old forum", staff)
    log = ModerationLog.objects.get(action="adjust")
    assert (log.actor, log.target, log.reason) == (staff, f"user:{helper.pk}", line.note)
    assert "+25" in log.summary
    assert moderation.adjust_points(helper, staff, -30, "spam ring").points == -5


@pytest.mark.parametrize(
    ("points", "note", "words"),
    [
        (0, "why", "1 to 10,000"),
        (10_001, "why", "1 to 10,000"),
        (-10_001, "why", "1 to 10,000"),
        ("ten", "why", "whole number"),
        (None, "why", "whole number"),
        (5, "  ", "Give the reason"),
        (5, "\x00", "Give the reason"),
        (5, "x" * 301, "at most 300"),
    ],
)
def test_corrections_that_do_not_fit_change_nothing(helper, staff, points, note, words):
    with pytest.raises(CommunityError, match=words):
        moderation.adjust_points(helper, staff, points, note)
    assert not ReputationEvent.objects.filter(user=helper).exists()
    assert not ModerationLog.objects.exists()


def test_only_other_staff_correct_points(helper, staff, guide):
    with pytest.raises(NotAllowed):
        moderation.adjust_points(helper, guide, 5, "a moderator is not staff")
    with pytest.raises(NotAllowed):
        moderation.adjust_points(staff, staff, 5, "my own")
    assert not ReputationEvent.objects.exists()
