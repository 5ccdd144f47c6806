"""Shared community fixtures: members (no console role), staff who run the community, a
product line, a published question with an answer."""

import importlib

import pytest


@pytest.fixture
def make_member(db, django_user_model):
    def make(username: str, points: int = 0):
        from earful.community.actions.reputation import level_for
        from earful.community.models import Member

        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password="a-long-test-password"
        )
        Member.objects.create(user=user, points=points, level=level_for(points))
        return user

    return make


@pytest.fixture
def asker(make_member):
    return make_member("asha")


@pytest.fixture
def helper(make_member):
    return make_member("hugo")


@pytest.fixture
def voter(make_member):
    return make_member("vera", points=20)


@pytest.fixture
def staff(user_with_roles):
    return user_with_roles("responder", username="sam")


@pytest.fixture
def category(db):
    from earful.community.models import Category

    return Category.objects.create(name="Arc phones", slug="arc-phones")


@pytest.fixture
def question(asker, category):
    from earful.community.actions.posts import ask_question

    return ask_question(
        asker,
        title="Battery drains overnight on the Arc 5",
        body="Since the last update my Arc 5 loses 40% overnight with the screen off.",
        category=category,
        tags=["battery", "Arc 5"],
    )


@pytest.fixture
def answer(question, helper):
    from earful.community.actions.posts import answer_question

    return answer_question(
        question,
        helper,
        "Turn off 'Wake on nearby devices' in Settings, it keeps the radio awake.",
    )


@pytest.fixture
def seeded_community(transactional_db):
    """The points, levels and badges migration 0002 seeds: a transactional test may run
    after another one emptied the tables (serialized_rollback would clash with the roles
    post_migrate re-creates, so the seed is applied again, idempotently)."""
    from django.apps import apps

    seed = importlib.import_module("earful.community.migrations.0002_defaults").seed
    seed(apps, None)
