import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from earful.board.actions.ideas import IdeaError, moderate_idea
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import unvote, vote
from earful.board.models import Follow, Idea, Vote

pytestmark = pytest.mark.django_db


def test_a_vote_counts_once_and_the_voter_follows(idea, other_customer):
    assert vote(idea, other_customer) is True
    assert vote(idea, other_customer) is False
    idea.refresh_from_db()
    assert idea.vote_count == 1 and Vote.objects.filter(idea=idea).count() == 1
    assert Follow.objects.get(idea=idea, user=other_customer).reason == Follow.Reason.VOTER


def test_unvote_is_idempotent_and_keeps_the_follow(idea, other_customer):
    vote(idea, other_customer)
    assert unvote(idea, other_customer) is True
    assert unvote(idea, other_customer) is False
    idea.refresh_from_db()
    assert idea.vote_count == 0
    assert Follow.objects.filter(idea=idea, user=other_customer).exists()


def test_the_database_refuses_a_second_vote_row(idea, other_customer):
    Vote.objects.create(idea=idea, user=other_customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(idea=idea, user=other_customer)


def test_a_vote_that_lost_a_race_does_not_count(idea, other_customer):
    # Another request inserted the vote between this one's page load and its click.
    Vote.objects.create(idea=idea, user=other_customer)
    assert vote(idea, other_customer) is False
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_anonymous_users_cannot_vote(idea):
    with pytest.raises(IdeaError, match="Sign in"):
        vote(idea, AnonymousUser())


@pytest.mark.parametrize("closing", ["done", "declined"])
def test_closed_ideas_take_no_votes(idea, other_customer, staff, status_of, closing):
    change_status(idea, status_of(closing), "", staff)
    with pytest.raises(IdeaError, match="closed"):
        vote(idea, other_customer)
    assert not Vote.objects.exists()


def test_merged_ideas_take_no_votes(idea, make_idea, other_customer):
    survivor = make_idea("Reports as spreadsheets")
    Idea.objects.filter(pk=idea.pk).update(merged_into=survivor)
    idea.refresh_from_db()
    with pytest.raises(IdeaError, match=f"merged into #{survivor.pk}"):
        vote(idea, other_customer)
    with pytest.raises(IdeaError, match="merged"):
        unvote(idea, other_customer)


def test_held_or_removed_ideas_take_no_votes(idea, other_customer, staff):
    moderate_idea(idea, "remove", staff)
    with pytest.raises(IdeaError, match="not published"):
        vote(idea, other_customer)
