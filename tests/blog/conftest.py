"""Shared blog fixtures: an author and a published post."""

import pytest


@pytest.fixture
def author(db, django_user_model):
    from earful.blog.actions.posts import make_author

    user = django_user_model.objects.create_user(
        "maya", email="maya@example.com", password="a-long-test-password",
        first_name="Maya", last_name="Lind",
    )  # fmt: skip
    return make_author(user, bio="Touring **40 stores** in 40 days.")


@pytest.fixture
def live_post(author):
    from earful.blog.actions.posts import publish_post, save_post

    post = save_post(
        author, "Day 1: Berlin", "We opened the tour in Berlin.\n\nThe new Arc phone was there.",
        tags=["Tour", "Arc phone"],
    )  # fmt: skip
    return publish_post(post)


@pytest.fixture
def approved_reader(live_post):
    """A reader whose first comment a moderator approved, so later ones go straight out."""
    from earful.blog.actions.comments import moderate_comment, submit_comment

    comment = submit_comment(
        live_post, body="First time here, hello from Hamburg!", name="Ola",
        email="ola@example.org",
    )  # fmt: skip
    moderate_comment(comment, "approve", None)
    return comment
