"""Shared board fixtures: customers (no console role), staff who manage ideas, an idea."""

import pytest


@pytest.fixture
def customer(db, django_user_model):
    return django_user_model.objects.create_user(
        "cleo", email="cleo@example.org", password="a-long-test-password"
    )


@pytest.fixture
def other_customer(db, django_user_model):
    return django_user_model.objects.create_user(
        "dario", email="dario@example.org", password="a-long-test-password"
    )


@pytest.fixture
def staff(user_with_roles):
    return user_with_roles("responder", username="sam")


@pytest.fixture
def category(db):
    from earful.board.models import Category

    return Category.objects.create(name="Reports", slug="reports")


@pytest.fixture
def status_of(db):
    from earful.board.models import Status

    return lambda slug: Status.objects.get(slug=slug)


@pytest.fixture
def idea(customer, category):
    from earful.board.actions.ideas import submit_idea

    return submit_idea(
        customer,
        title="Export reports to CSV",
        body="We need the **monthly** report as a CSV file for our accountants.",
        category=category,
    )


@pytest.fixture
def make_idea(db, django_user_model):
    """make_idea("Dark mode", body=..., author=...) with a fresh author by default."""
    from earful.board.actions.ideas import submit_idea

    count = iter(range(1000))

    def make(title: str, body: str = "", author=None, **kwargs):
        if author is None:
            author = django_user_model.objects.create_user(f"author{next(count)}")
        return submit_idea(author, title=title, body=body, **kwargs)

    return make
