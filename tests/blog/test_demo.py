import pytest

from earful.blog.demo import seed_blog
from earful.blog.models import Comment, Post
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_the_demo_blog_is_seeded_once_with_a_thread_in_the_river():
    first = seed_blog()
    assert first["posts"] == 3 and first["comments"] >= 8
    assert seed_blog() == {"posts": 0, "comments": 0}
    assert Post.objects.filter(status=Post.Status.PUBLISHED).count() == 3
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()  # for moderation
    staff = Comment.objects.get(staff=True)
    assert Mention.objects.get(pk=staff.mention_id).parent_id == staff.parent.mention_id
