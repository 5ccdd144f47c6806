from datetime import timedelta

import pytest
from django.utils import timezone

from earful.blog.actions.posts import (
    PostError,
    make_author,
    publish_due_posts,
    publish_post,
    save_post,
    unpublish_post,
)
from earful.blog.models import Post
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_a_draft_is_rendered_sanitised_and_not_in_the_river(author):
    post = save_post(author, "  Day   1 ", "Hello <script>alert(1)</script> **world**")
    assert post.title == "Day 1" and post.slug == "day-1"
    assert post.status == Post.Status.DRAFT and not post.is_live
    assert "<script>" not in post.body_html and "<strong>world</strong>" in post.body_html
    assert post.summary.startswith("Hello")
    assert post.mention_id is None


def test_publishing_enters_the_post_in_the_river_once(author):
    post = publish_post(save_post(author, "Day 1", "Berlin"))
    assert post.is_live and post.mention_id
    mention = Mention.objects.get(pk=post.mention_id)
    assert mention.owned and mention.title == "Day 1"
    save_post(author, "Day 1 (updated)", "Berlin, with photos", post=post)
    assert Mention.objects.filter(source=mention.source).count() == 1
    assert Mention.objects.get(pk=post.mention_id).title == "Day 1 (updated)"


def test_scheduled_posts_wait_for_their_time(author):
    now = timezone.now()
    post = publish_post(save_post(author, "Day 2", "Hamburg"), at=now + timedelta(hours=2))
    assert post.status == Post.Status.SCHEDULED and not post.is_live
    assert publish_due_posts(now + timedelta(hours=1)) == []
    assert publish_due_posts(now + timedelta(hours=3)) == [post]
    post.refresh_from_db()
    assert post.is_live and post.published_at == now + timedelta(hours=2)


def test_slugs_are_unique_and_never_shadow_blog_pages(author):
    first = save_post(author, "Feed", "x")
    assert first.slug != "feed"
    assert save_post(author, "Same title", "x").slug == "same-title"
    assert save_post(author, "Same title", "y").slug == "same-title-2"
    assert save_post(author, "¡¡¡", "x").slug == "post"


@pytest.mark.parametrize(("title", "body"), [("", "x"), ("x" * 301, "x"), ("Title", "  ")])
def test_bad_posts_are_refused(author, title, body):
    with pytest.raises(PostError):
        save_post(author, title, body)
    assert not Post.objects.exists()


def test_unpublishing_withdraws_the_post_from_the_river(author):
    post = publish_post(save_post(author, "Oops", "Too early"))
    mention_id = post.mention_id
    unpublish_post(post)
    assert not Mention.objects.filter(pk=mention_id).exists()
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT


def test_an_author_profile_has_a_page_slug_and_a_sanitised_bio(django_user_model):
    user = django_user_model.objects.create_user("lead", first_name="Ana", last_name="Ruiz")
    profile = make_author(user, bio="Hi <img src=x onerror=alert(1)>")
    assert profile.slug == "ana-ruiz" and profile.display_name == "Ana Ruiz"
    assert "<img" not in profile.bio_html and "&lt;img" in profile.bio_html
    assert make_author(user, display_name="Ana R.").pk == profile.pk
