"""Ideas and their comments in the river, and inbox replies published on the board."""

import pytest

from earful.board.actions.comments import comment_on_idea
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import unvote, vote
from earful.board.models import IdeaComment, Vote
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


def test_a_vote_is_a_mention_under_its_idea_until_taken_back(idea, other_customer):
    vote(idea, other_customer)
    cast = Vote.objects.get(idea=idea, user=other_customer)
    mention = Mention.objects.get(pk=cast.mention_id)
    assert mention.text == f"+1 for the idea “{idea.title}”"
    assert mention.parent_id == idea.mention_id and mention.owned
    assert mention.author.handle == f"user:{other_customer.pk}"
    unvote(idea, other_customer)
    assert not Mention.objects.filter(pk=mention.pk).exists()


def test_a_status_change_adds_no_mention(idea, staff, status_of):
    before = Mention.objects.count()
    change_status(idea, status_of("planned"), "Soon.", staff)
    assert Mention.objects.count() == before


def test_merging_keeps_one_vote_mention_per_person_under_the_survivor(
    idea, make_idea, other_customer, customer, staff
):
    from earful.board.actions.merge import merge_ideas

    duplicate = make_idea("Export the monthly report to CSV please")
    vote(duplicate, other_customer)
    vote(idea, other_customer)
    extra = type(customer).objects.create_user("third")
    vote(duplicate, extra)
    merge_ideas(duplicate, idea, staff, "Same idea.")
    votes = Vote.objects.filter(idea=idea)
    assert votes.count() == 2
    parents = set(Mention.objects.filter(pk__in=votes.values("mention_id")).values_list(
        "parent_id", flat=True))  # fmt: skip
    assert parents == {idea.mention_id}
    assert Mention.objects.filter(external_id__startswith="vote-").count() == 2


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
