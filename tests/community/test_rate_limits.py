"""Each level's hourly posting allowance: a higher level posts more, the window resets
after an hour, and each member has their own count."""

import pytest

from earful.community import rate_limits
from earful.community.models import Level

pytestmark = pytest.mark.django_db

HOUR_START = 1_800_000_000.0  # a fixed clock: the window is counted from it


def posts_allowed(user, now: float = HOUR_START) -> int:
    taken = 0
    while rate_limits.take_post(user, now) and taken < 1000:
        taken += 1
    return taken


def test_a_higher_level_posts_more_an_hour(make_member):
    levels = dict(Level.objects.values_list("number", "posts_per_hour"))
    newcomer, regular = make_member("newt", points=0), make_member("reggie", points=150)
    assert levels[0] < levels[2]  # the seeded levels: Newcomer, then Member, then Regular
    assert rate_limits.posts_per_hour(newcomer) == levels[0]
    assert rate_limits.posts_per_hour(regular) == levels[2]
    assert posts_allowed(newcomer) == levels[0]
    assert posts_allowed(regular) == levels[2]


def test_the_allowance_comes_back_after_the_hour_and_is_per_member(make_member):
    one, other = make_member("one"), make_member("other")
    allowed = posts_allowed(one)
    assert not rate_limits.take_post(one, HOUR_START + 10)
    assert posts_allowed(other) == allowed
    assert posts_allowed(one, HOUR_START + 3601) == allowed


def test_a_level_set_to_zero_posts_stops_posting(make_member):
    Level.objects.filter(number=0).update(posts_per_hour=0)
    assert posts_allowed(make_member("quiet")) == 0
