"""Moderation reaches a post's whole thread: a removed accepted answer takes its
acceptance and points back, a hidden question takes its answers and comments out of the
river, and they come back with it."""

from earful.community.actions import moderation
from earful.community.actions.answers import accept_answer
from earful.community.actions.posts import comment_on
from earful.community.models import Member
from earful.river.models import Mention


def points(user) -> int:
    return Member.objects.get(user=user).points


def test_removing_the_accepted_answer_takes_back_acceptance_and_points(
    question, answer, asker, helper, staff
):
    accept_answer(answer, asker)
    assert points(helper) == 15 and points(asker) == 2
    moderation.remove(answer, staff, "copied from a spam site")
    question.refresh_from_db()
    assert question.accepted_answer_id is None
    assert points(helper) == 0 and points(asker) == 0
    assert Member.objects.get(user=helper).accepted_answers == 0


def test_a_hidden_question_takes_its_thread_out_of_the_river_and_back(
    question, answer, helper, staff
):
    comment = comment_on(helper, "Also check the battery health page.", answer=answer)
    thread = {question.mention_id, answer.mention_id, comment.mention_id}
    assert None not in thread and Mention.objects.filter(pk__in=thread).count() == 3
    moderation.flag_post(staff, question, "off_topic")
    question.refresh_from_db()
    assert question.state == "hidden"
    assert not Mention.objects.filter(pk__in=thread).exists()
    answer.refresh_from_db()
    comment.refresh_from_db()
    assert answer.mention_id is None and comment.mention_id is None
    moderation.keep(question, staff, "on topic after all")
    answer.refresh_from_db()
    comment.refresh_from_db()
    returned = Mention.objects.filter(pk__in=[answer.mention_id, comment.mention_id])
    assert returned.count() == 2
    assert {m.external_id for m in returned} == {f"answer-{answer.pk}", f"comment-{comment.pk}"}
