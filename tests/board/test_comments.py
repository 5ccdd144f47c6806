import pytest
from django.contrib.auth.models import AnonymousUser

from earful.blog import comment_checks as checks
from earful.board.actions.comments import (
    CommentError,
    comment_on_idea,
    moderate_comment,
    staff_comment,
)
from earful.board.actions.ideas import moderate_idea
from earful.board.models import Idea, IdeaComment
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_a_comment_is_published_counted_and_threaded_under_its_idea_in_the_river(
    idea, other_customer
):
    comment = comment_on_idea(idea, other_customer, "Yes, and *quarterly* too.")
    assert comment.status == IdeaComment.Status.PUBLISHED and not comment.staff
    assert comment.body_html == "<p>Yes, and <em>quarterly</em> too.</p>\n"
    idea.refresh_from_db()
    assert idea.comment_count == 1
    mention = Mention.objects.get(pk=comment.mention_id)
    assert mention.parent_id == idea.mention_id and mention.owned


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 10_001, "at most 10,000"), ("a\x00b", "null")],
)
def test_bad_comments_get_a_clear_error(idea, other_customer, body, message):
    with pytest.raises(CommentError, match=message):
        comment_on_idea(idea, other_customer, body)
    assert not IdeaComment.objects.exists()


def test_anonymous_users_cannot_comment(idea):
    with pytest.raises(CommentError, match="Sign in"):
        comment_on_idea(idea, AnonymousUser(), "Hello there")


def test_spam_is_held_and_stays_out_of_count_and_river(idea, other_customer, staff):
    body = "BUY CHEAP PILLS NOW " * 10 + " http://spam.example/a http://spam.example/b"
    comment = comment_on_idea(idea, other_customer, body)
    assert comment.status == IdeaComment.Status.PENDING and comment.held_for == [checks.SPAM]
    assert comment.mention_id is None
    idea.refresh_from_db()
    assert idea.comment_count == 0
    moderate_comment(comment, "approve", staff)
    idea.refresh_from_db()
    assert idea.comment_count == 1 and comment.mention_id
    moderate_comment(comment, "remove", staff)
    idea.refresh_from_db()
    assert idea.comment_count == 0 and comment.mention_id is None


def test_customers_cannot_moderate_and_unknown_actions_are_named(idea, other_customer, staff):
    comment = comment_on_idea(idea, other_customer, "A fine comment")
    with pytest.raises(CommentError, match="Only staff"):
        moderate_comment(comment, "remove", other_customer)
    with pytest.raises(CommentError, match="Unknown moderation action 'explode'"):
        moderate_comment(comment, "explode", staff)


def test_comments_are_rate_limited_per_user(idea, other_customer, customer, settings):
    settings.EARFUL_BOARD_COMMENT_RATE = "3/m"
    for n in range(3):
        comment_on_idea(idea, other_customer, f"Comment number {n}")
    with pytest.raises(CommentError, match="wait a minute"):
        comment_on_idea(idea, other_customer, "One too many")
    comment_on_idea(idea, customer, "Another person is not limited")
    assert IdeaComment.objects.count() == 4


def test_the_same_comment_twice_is_refused(idea, other_customer):
    comment_on_idea(idea, other_customer, "Please do this")
    with pytest.raises(CommentError, match="already posted"):
        comment_on_idea(idea, other_customer, "  Please   do this ")


def test_staff_comments_are_published_as_the_company_and_not_rate_limited(idea, staff, settings):
    settings.EARFUL_BOARD_COMMENT_RATE = "1/m"
    first = comment_on_idea(idea, staff, "We are looking at it.")
    second = staff_comment(idea, staff, "Planned for May.")
    assert first.staff and second.staff
    assert {first.status, second.status} == {IdeaComment.Status.PUBLISHED}


def test_customers_cannot_write_as_the_company(idea, other_customer):
    with pytest.raises(CommentError, match="Only staff"):
        staff_comment(idea, other_customer, "We did it!")


def test_no_comments_on_removed_or_merged_ideas(idea, make_idea, other_customer, staff):
    moderate_idea(idea, "remove", staff)
    with pytest.raises(CommentError, match="not published"):
        comment_on_idea(idea, other_customer, "Hello")
    survivor = make_idea("Spreadsheet reports")
    Idea.objects.filter(pk=idea.pk).update(merged_into=survivor, state=Idea.State.PUBLISHED)
    idea.refresh_from_db()
    with pytest.raises(CommentError, match=f"merged into #{survivor.pk}"):
        comment_on_idea(idea, other_customer, "Hello")
