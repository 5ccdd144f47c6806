from datetime import timedelta

import pytest
from django.utils import timezone

from earful.blog import comment_checks as checks
from earful.blog.actions.comments import (
    CommentError,
    can_edit,
    edit_comment,
    moderate_comment,
    staff_reply,
    submit_comment,
)
from earful.blog.models import Comment, ModerationLog
from earful.river.models import DailyCount, Mention

pytestmark = pytest.mark.django_db


def _comment(post, body, email="ola@example.org", **kwargs):
    return submit_comment(post, body=body, name=kwargs.pop("name", "Ola"), email=email, **kwargs)


def test_the_first_comment_of_a_new_address_is_held_and_not_in_the_river(live_post):
    comment = _comment(live_post, "Loved the Berlin stop!", email="new@example.org")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for == [checks.FIRST_COMMENT]
    assert comment.mention_id is None
    assert ModerationLog.objects.filter(comment=comment, action="held").exists()


def test_approval_publishes_it_into_the_river_threaded_under_the_post(live_post):
    comment = _comment(live_post, "Loved the Berlin stop!", email="new@example.org")
    moderate_comment(comment, "approve", None)
    mention = Mention.objects.get(pk=comment.mention_id)
    assert mention.owned and mention.text == "Loved the Berlin stop!"
    assert mention.parent_id == live_post.mention_id
    assert mention.source.config["app"] == "blog"


def test_a_known_writer_is_published_at_once_and_replies_thread(live_post, approved_reader):
    second = _comment(live_post, "And the Arc phone battery lasted all day.")
    assert second.status == Comment.Status.PUBLISHED and second.held_for == []
    reply = _comment(live_post, "Same here, two days even.", parent=second)
    assert Mention.objects.get(pk=reply.mention_id).parent_id == second.mention_id


@pytest.mark.parametrize(
    "body",
    [
        "See https://example.com/deal for more",
        "look at www.example.com",
        "The [review](http://a.example/r) says the same about the battery",
    ],
)
def test_links_are_held_even_for_known_writers(live_post, approved_reader, body):
    comment = _comment(live_post, body)
    assert comment.status == Comment.Status.PENDING
    assert checks.HAS_LINKS in comment.held_for


def test_spam_goes_to_the_spam_queue(live_post, approved_reader):
    body = "BUY CHEAP PILLS NOW " * 10 + " http://spam.example/a http://spam.example/b"
    comment = _comment(live_post, body)
    assert comment.status == Comment.Status.SPAM
    assert checks.SPAM in comment.held_for and comment.spam_score >= 0.5


def test_the_same_comment_posted_twice_is_caught(live_post, approved_reader):
    text = "The queue at the Munich store was far too long, two hours of waiting."
    first = _comment(live_post, text)
    assert first.status == Comment.Status.PUBLISHED
    again = _comment(
        live_post, "  the QUEUE at the munich store was far too long,  two hours of waiting. "
    )
    assert again.status == Comment.Status.PENDING
    assert again.held_for == [checks.DUPLICATE]


def test_a_near_duplicate_with_small_edits_is_caught(live_post, approved_reader):
    _comment(
        live_post,
        "The queue at the Munich store was far too long, two hours of waiting in the cold.",
    )
    near = _comment(
        live_post,
        "The queue at the Munich store was far too long, two hours of waiting in the cold!!",
    )
    assert checks.NEAR_DUPLICATE_REASON in near.held_for or checks.DUPLICATE in near.held_for
    other = _comment(live_post, "Staff in Munich were lovely and explained the camera settings.")
    assert other.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "   "}, "empty"),
        ({"body": "x" * 10_001}, "at most"),
        ({"name": ""}, "name"),
        ({"email": ""}, "e-mail"),
        ({"email": "not-an-address"}, "e-mail"),
        ({"website": "javascript:alert(1)"}, "http"),
        ({"body": "nul \x00 byte"}, "null"),
    ],
)
def test_bad_comments_get_a_clear_error_and_nothing_is_stored(live_post, fields, message):
    values = {"body": "Fine words", "name": "Ola", "email": "ola@example.org", **fields}
    with pytest.raises(CommentError, match=message):
        submit_comment(live_post, **values)
    assert not Comment.objects.exists()


def test_comments_close_by_switch_and_after_the_posts_age(live_post, settings):
    live_post.comments_enabled = False
    live_post.save()
    with pytest.raises(CommentError, match="closed"):
        _comment(live_post, "Hello")
    live_post.comments_enabled = True
    live_post.close_comments_after_days = 3
    live_post.save()
    _comment(live_post, "Still open")
    with pytest.raises(CommentError, match="closed"):
        _comment(live_post, "Too late", now=live_post.published_at + timedelta(days=3, seconds=1))
    live_post.close_comments_after_days = None
    live_post.save()
    settings.EARFUL_BLOG_COMMENTS_CLOSE_DAYS = 0  # never close by age
    _comment(live_post, "Years later", now=live_post.published_at + timedelta(days=3000))


def test_a_reply_must_answer_a_published_comment_of_the_same_post(live_post, author):
    from earful.blog.actions.posts import publish_post, save_post

    held = _comment(live_post, "Held one", email="new@example.org")
    with pytest.raises(CommentError, match="not published"):
        _comment(live_post, "Reply", parent=held)
    other = publish_post(save_post(author, "Day 2", "Hamburg"))
    moderate_comment(held, "approve", None)
    with pytest.raises(CommentError, match="another post"):
        _comment(other, "Reply", parent=held)


def test_writers_edit_for_fifteen_minutes_guests_from_their_session(live_post, approved_reader):
    comment = _comment(live_post, "Batery life is great")
    assert not can_edit(comment, None, session_ids=[])
    assert can_edit(comment, None, session_ids=[comment.pk])
    edit_comment(comment, "Battery life is great", session_ids=[comment.pk])
    comment.refresh_from_db()
    assert comment.body == "Battery life is great" and comment.edited_at
    assert Mention.objects.get(pk=comment.mention_id).text == "Battery life is great"
    late = timezone.now() + timedelta(minutes=16)
    with pytest.raises(CommentError, match="15 minutes"):
        edit_comment(comment, "changed", session_ids=[comment.pk], now=late)


def test_an_edit_that_adds_a_link_goes_back_to_moderation_and_leaves_the_river(
    live_post, approved_reader
):
    comment = _comment(live_post, "Nice tour")
    mention_id = comment.mention_id
    edit_comment(comment, "Nice tour, see https://cheap.example", session_ids=[comment.pk])
    assert comment.status == Comment.Status.PENDING
    assert not Mention.objects.filter(pk=mention_id).exists()


def test_removing_a_comment_takes_it_out_of_the_river_and_the_counts(live_post, approved_reader):
    comment = _comment(live_post, "Nice tour")
    total = sum(DailyCount.objects.filter(topic_id=0).values_list("count", flat=True))
    moderate_comment(comment, "remove", None, reason="off topic")
    assert not Mention.objects.filter(pk=comment.mention_id or -1).exists()
    after = sum(DailyCount.objects.filter(topic_id=0).values_list("count", flat=True))
    assert after == total - 1
    assert ModerationLog.objects.filter(comment=comment, action="remove", detail="off topic")
    with pytest.raises(CommentError, match="unknown moderation action"):
        moderate_comment(comment, "explode", None)


def test_staff_comments_are_published_marked_and_skip_moderation(live_post, user_with_roles):
    moderator = user_with_roles("author", username="mod")
    comment = submit_comment(live_post, body="Thanks! See https://example.com/faq", user=moderator)
    assert comment.status == Comment.Status.PUBLISHED and comment.staff
    live_post.comments_enabled = False
    live_post.save()
    reply = staff_reply(live_post, moderator, "We read every comment.", parent=comment)
    assert reply.staff and reply.status == Comment.Status.PUBLISHED


def test_an_inbox_reply_to_a_blog_comment_is_published_as_a_staff_comment(
    live_post, approved_reader, user_with_roles
):
    from earful.inbox.actions import reply, take_in

    responder = user_with_roles("responder", username="resp")
    mention = Mention.objects.get(pk=approved_reader.mention_id)
    saved = reply(take_in(mention), responder, "Thank you for coming, Ola!")
    assert saved.published
    staff = Comment.objects.get(staff=True, parent=approved_reader)
    assert staff.body == "Thank you for coming, Ola!"
    assert saved.published_url.endswith(f"#comment-{staff.pk}")
    assert Mention.objects.get(pk=staff.mention_id).parent_id == mention.pk


def test_comments_from_one_address_are_rate_limited_but_staff_are_not(
    live_post, approved_reader, settings, user_with_roles
):
    from django.core.cache import cache

    cache.clear()
    settings.EARFUL_BLOG_COMMENT_RATE = "2/m"
    for n in range(2):
        _comment(live_post, f"Point number {n} about the tour", ip_address="203.0.113.9")
    with pytest.raises(CommentError, match="too fast"):
        _comment(live_post, "One more point", ip_address="203.0.113.9")
    _comment(live_post, "From elsewhere", ip_address="198.51.100.1")
    moderator = user_with_roles("author", username="mod")
    for n in range(3):
        submit_comment(live_post, body=f"Staff note {n}", user=moderator, ip_address="203.0.113.9")
    cache.clear()
