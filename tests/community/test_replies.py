"""An inbox reply to a community mention is published in the community by the staff
member who writes it: an answer to a question, a comment under an answer or beside a
comment."""

import pytest

from earful.community.actions.posts import comment_on
from earful.community.models import Answer, Comment, State
from earful.inbox.actions import reply, take_in
from earful.river.models import Mention

pytestmark = pytest.mark.django_db

STAFF_ANSWER = "Thanks for the report. Firmware 4.2.1 fixes the overnight drain; please update."


def test_a_reply_to_a_question_is_a_staff_answer_in_the_thread(question, staff):
    triage = take_in(Mention.objects.get(pk=question.mention_id))
    saved = reply(triage, staff, STAFF_ANSWER)
    answer = Answer.objects.get(question=question, author=staff)
    assert answer.body == STAFF_ANSWER and answer.state == State.PUBLISHED
    assert saved.published
    assert saved.published_url.endswith(f"/community/questions/{question.pk}/#answer-{answer.pk}")
    question.refresh_from_db()
    assert question.answer_count == 1
    assert Mention.objects.get(pk=answer.mention_id).parent_id == question.mention_id


def test_a_reply_to_an_answer_is_a_comment_under_it(answer, staff):
    saved = reply(take_in(Mention.objects.get(pk=answer.mention_id)), staff, "That fixed it here.")
    comment = Comment.objects.get(answer=answer)
    assert comment.author == staff and comment.body == "That fixed it here."
    assert saved.published_url.endswith(f"#comment-{comment.pk}")


def test_a_reply_to_a_comment_goes_beside_it(question, helper, staff):
    remark = comment_on(helper, "Which firmware are you on?", question=question)
    reply(take_in(Mention.objects.get(pk=remark.mention_id)), staff, "4.2.0 has the bug.")
    staff_comment = Comment.objects.get(author=staff)
    assert staff_comment.question_id == question.pk and staff_comment.answer_id is None


def test_the_communitys_limits_hold_for_replies(answer, staff):
    triage = take_in(Mention.objects.get(pk=answer.mention_id))
    with pytest.raises(ValueError, match="not published: The comment is at most 600"):
        reply(triage, staff, "x" * 601)
    assert not Comment.objects.exists()


def test_a_reply_to_a_removed_question_is_refused(question, staff):
    triage = take_in(Mention.objects.get(pk=question.mention_id))
    type(question).objects.filter(pk=question.pk).update(state=State.REMOVED)
    with pytest.raises(ValueError, match="not open for answers"):
        reply(triage, staff, STAFF_ANSWER)


def test_a_reply_to_a_vanished_post_is_refused(question, staff):
    triage = take_in(Mention.objects.get(pk=question.mention_id))
    Mention.objects.filter(pk=question.mention_id).update(external_id="question-999999")
    with pytest.raises(ValueError, match="no longer has question-999999"):
        reply(triage, staff, STAFF_ANSWER)
