import pytest
from django.contrib.auth.models import AnonymousUser

from earful.board.actions.follows import follow, follows, unfollow
from earful.board.actions.ideas import IdeaError

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow_are_idempotent(idea, other_customer):
    assert follow(idea, other_customer) is True
    assert follow(idea, other_customer) is False
    assert follows(idea, other_customer)
    assert unfollow(idea, other_customer) is True
    assert unfollow(idea, other_customer) is False
    assert not follows(idea, other_customer)


def test_the_author_may_unfollow_their_own_idea(idea, customer):
    assert follows(idea, customer)
    unfollow(idea, customer)
    assert not follows(idea, customer)


def test_anonymous_users_cannot_follow(idea):
    with pytest.raises(IdeaError, match="Sign in"):
        follow(idea, AnonymousUser())
    assert not follows(idea, AnonymousUser())
