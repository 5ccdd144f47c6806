import pytest

from earful.blog import comment_checks as checks
from earful.board.actions.ideas import IdeaError, moderate_idea, submit_idea
from earful.board.models import Follow, Idea, Status
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_a_customers_idea_is_published_open_followed_by_its_author_and_in_the_river(
    customer, category
):
    idea = submit_idea(
        customer, title="  Export   reports to CSV ", body="As **CSV**, please.", category=category
    )
    assert idea.state == Idea.State.PUBLISHED and idea.held_for == []
    assert idea.title == "Export reports to CSV"
    assert idea.status.slug == "open" and idea.status.kind == Status.Kind.OPEN
    assert idea.body_html == "<p>As <strong>CSV</strong>, please.</p>\n"
    assert Follow.objects.get(idea=idea, user=customer).reason == Follow.Reason.AUTHOR
    assert Mention.objects.get(pk=idea.mention_id).title == "Export reports to CSV"
    assert idea.content_hash


def test_the_body_is_sanitised(customer):
    idea = submit_idea(
        customer,
        title="Safer links",
        body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    assert "<script" not in idea.body_html and 'href="javascript' not in idea.body_html
    assert "<img" not in idea.body_html and "&lt;script&gt;" in idea.body_html


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "", "The title is empty."),
        ("   ", "", "The title is empty."),
        ("Hey", "", "The title is at least 5 characters."),
        ("x" * 151, "", "The title is at most 150 characters."),
        ("A fine title", "y" * 10_001, "The description is at most 10,000 characters."),
        ("Null\x00 title", "", "The title contains a null character."),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(customer, title, body, message):
    with pytest.raises(IdeaError, match=message.replace(".", r"\.")):
        submit_idea(customer, title=title, body=body)
    assert not Idea.objects.exists()


def test_anonymous_users_cannot_post(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(IdeaError, match="Sign in"):
        submit_idea(AnonymousUser(), title="A good idea")


def test_the_same_idea_twice_points_to_the_first(idea, other_customer):
    with pytest.raises(IdeaError, match=f"#{idea.pk}"):
        submit_idea(other_customer, title=idea.title, body=idea.body)


def test_spam_is_held_out_of_the_river_until_staff_publish_it(customer, staff):
    body = "BUY NOW cheap pills, click here http://free-gift.win/a http://free-gift.win/b"
    idea = submit_idea(customer, title="Great offer for everyone", body=body)
    assert idea.state == Idea.State.HELD and idea.held_for == [checks.SPAM]
    assert idea.spam_score >= 0.5 and idea.mention_id is None
    with pytest.raises(IdeaError, match="Only staff"):
        moderate_idea(idea, "approve", customer)
    moderate_idea(idea, "approve", staff)
    assert idea.state == Idea.State.PUBLISHED and Mention.objects.filter(pk=idea.mention_id)
    moderate_idea(idea, "remove", staff)
    assert idea.state == Idea.State.REMOVED and idea.mention_id is None


def test_posting_is_rate_limited_per_user(customer, settings):
    settings.EARFUL_BOARD_IDEA_RATE = "2/h"
    submit_idea(customer, title="First idea here")
    submit_idea(customer, title="Second idea here")
    with pytest.raises(IdeaError, match="many ideas in a short time"):
        submit_idea(customer, title="Third idea here")
    assert Idea.objects.count() == 2


def test_without_an_open_status_the_board_says_so(customer):
    Status.objects.filter(kind=Status.Kind.OPEN).delete()
    with pytest.raises(IdeaError, match="no open status"):
        submit_idea(customer, title="A good idea")
