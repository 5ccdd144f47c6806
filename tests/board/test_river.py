"""Ideas and their comments in the river, and inbox replies published on the board."""

import pytest

from earful.board.actions.comments import comment_on_idea
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import vote
from earful.board.models import IdeaComment
from earful.inbox.actions import reply, take_in
from earful.river.models import Mention, Source

pytestmark = pytest.mark.django_db


def test_an_idea_is_an_owned_mention_of_the_ideas_board_source(idea, customer):
    mention = Mention.objects.select_related("source", "author").get(pk=idea.mention_id)
    assert mention.source.name == "Ideas board" and mention.source.kind == Source.Kind.OWNED
    assert mention.source.config == {"app": "board"}
    assert mention.external_id == f"idea-{idea.pk}" and mention.owned
    assert mention.title == idea.title
    assert mention.text == "We need the monthly report as a CSV file for our accountants."
    assert mention.url.endswith(f"/ideas/{idea.pk}/")
    assert mention.author.handle == f"user:{customer.pk}"


def test_votes_and_status_changes_add_no_mentions(idea, other_customer, staff, status_of):
    before = Mention.objects.count()
    vote(idea, other_customer)
    change_status(idea, status_of("planned"), "Soon.", staff)
    assert Mention.objects.count() == before


def test_an_inbox_reply_to_an_idea_is_published_as_a_staff_comment(idea, staff):
    triage = take_in(Mention.objects.get(pk=idea.mention_id))
    saved = reply(triage, staff, "Thanks! We are **on it**.")
    comment = IdeaComment.objects.get(idea=idea)
    assert saved.published and saved.published_url.endswith(
        f"/ideas/{idea.pk}/#comment-{comment.pk}"
    )
    assert comment.staff and comment.status == IdeaComment.Status.PUBLISHED
    assert Mention.objects.get(pk=comment.mention_id).parent_id == idea.mention_id


def test_an_inbox_reply_to_a_comment_lands_on_its_idea(idea, other_customer, staff):
    question = comment_on_idea(idea, other_customer, "When will this ship?")
    reply(take_in(Mention.objects.get(pk=question.mention_id)), staff, "In May.")
    assert IdeaComment.objects.filter(idea=idea, staff=True).get().body == "In May."


def test_an_inbox_reply_to_a_vanished_idea_is_refused(idea, staff):
    triage = take_in(Mention.objects.get(pk=idea.mention_id))
    Mention.objects.filter(pk=idea.mention_id).update(external_id="idea-999999")
    with pytest.raises(ValueError, match="no longer has idea-999999"):
        reply(triage, staff, "Hello")
