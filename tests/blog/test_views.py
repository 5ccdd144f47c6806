import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from earful.blog.actions.comments import submit_comment
from earful.blog.actions.posts import publish_post, save_post
from earful.blog.models import Comment

pytestmark = pytest.mark.django_db


def test_the_index_lists_live_posts_only(client, author, live_post):
    save_post(author, "Secret draft", "Not yet")
    page = client.get(reverse("blog:index")).content.decode()
    assert "Day 1: Berlin" in page and "Secret draft" not in page


def test_a_post_page_has_open_graph_microformats_and_linkback_discovery(client, live_post):
    response = client.get(live_post.get_absolute_url())
    page = response.content.decode()
    assert '<meta property="og:title" content="Day 1: Berlin">' in page
    assert '<meta property="og:type" content="article">' in page
    assert 'class="post h-entry"' in page and 'class="e-content"' in page
    assert 'rel="webmention"' in page and 'rel="pingback"' in page
    assert "trackback:ping=" in page
    assert "webmention" in response["Link"] and response["X-Pingback"].endswith("/blog/xmlrpc")


def test_drafts_are_not_found_except_for_writers(client, author, user_with_roles):
    draft = save_post(author, "Draft", "x")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(user_with_roles("author", username="writer"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_guest_comments_sees_it_held_then_edits_it(client, live_post):
    response = client.post(
        reverse("blog:comment", args=[live_post.slug]),
        {"name": "Ola", "email": "ola@example.org", "body": "Great *stop*!"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.ip_address == "127.0.0.1"
    page = client.get(response["Location"]).content.decode()
    assert "waiting for a moderator" in page
    assert "Great" not in page.split('id="comments"')[1].split("<form")[0]
    edit_url = reverse("blog:comment-edit", args=[comment.pk])
    response = client.post(edit_url, {"body": "Great **stop**!"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Great **stop**!"
    assert Client().post(edit_url, {"body": "hijack"}).status_code == 403


def test_a_published_thread_renders_replies_under_their_parent(client, live_post, approved_reader):
    reply = submit_comment(
        live_post, body="Welcome, Ola!", name="Ben", email="ben@example.org",
        parent=approved_reader,
    )  # fmt: skip
    from earful.blog.actions.comments import moderate_comment

    moderate_comment(reply, "approve", None)
    page = client.get(live_post.get_absolute_url()).content.decode()
    assert page.index(f'id="comment-{approved_reader.pk}"') < page.index(f'id="comment-{reply.pk}"')
    assert "depth-1" in page and "2 comments" in page


def test_bad_comment_input_shows_errors_and_keeps_the_text(client, live_post):
    url = reverse("blog:comment", args=[live_post.slug])
    response = client.post(url, {"name": "", "email": "x", "body": "keep me"})
    assert response.status_code == 400
    assert "keep me" in response.content.decode()
    response = client.post(url, {"name": "A", "email": "a@b.org", "body": "x", "parent": 999})
    assert response.status_code == 400 and "does not exist" in response.content.decode()
    assert not Comment.objects.exists()
    assert client.get(url).status_code == 405


def test_closed_comments_hide_the_form_and_refuse_posts(client, live_post):
    live_post.comments_enabled = False
    live_post.save()
    page = client.get(live_post.get_absolute_url()).content.decode()
    assert "Comments are closed." in page and 'name="body"' not in page
    response = client.post(
        reverse("blog:comment", args=[live_post.slug]),
        {"name": "A", "email": "a@b.org", "body": "hello"},
    )
    assert response.status_code == 400 and "closed" in response.content.decode()


def test_comment_forms_need_the_csrf_token(live_post):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("blog:comment", args=[live_post.slug]),
        {"name": "A", "email": "a@b.org", "body": "hello"},
    )
    assert response.status_code == 403


def test_feeds_parse_and_carry_posts_tags_and_comments(client, author, live_post, approved_reader):
    for name in ("blog:atom", "blog:rss"):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo and feed.entries[0].title == "Day 1: Berlin"
    tag = live_post.tags.get(name="Tour")
    feed = feedparser.parse(client.get(reverse("blog:tag-atom", args=[tag.slug])).content)
    assert [e.title for e in feed.entries] == ["Day 1: Berlin"]
    feed = feedparser.parse(
        client.get(reverse("blog:comments-atom", args=[live_post.slug])).content
    )
    assert "Hamburg" in feed.entries[0].summary
    assert client.get(reverse("blog:comments-rss", args=["no-such-post"])).status_code == 404


def test_sitemap_lists_posts_tags_and_authors(client, live_post):
    body = client.get("/sitemap.xml").content.decode()
    assert live_post.get_absolute_url() in body
    assert live_post.author.get_absolute_url() in body and "/blog/tag/tour/" in body


def test_tag_and_author_pages(client, author, live_post):
    later = publish_post(save_post(author, "Day 2: Hamburg", "Rain", tags=["Tour"]))
    page = client.get(reverse("blog:tag", args=["tour"])).content.decode()
    assert page.index(later.title) < page.index(live_post.title)
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Maya Lind" in page and "<strong>40 stores</strong>" in page
    assert client.get(reverse("blog:tag", args=["nope"])).status_code == 404


def test_a_cover_photo_shows_on_the_post_and_in_open_graph(client, live_post, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from earful.accounts.actions import set_roles
    from earful.blog.actions.photos import upload_photo

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "teal").save(buffer, "JPEG")
    upload = SimpleUploadedFile("cover.jpg", buffer.getvalue(), content_type="image/jpeg")
    writer = live_post.author.user
    set_roles(writer, ["author"])
    writer = type(writer).objects.get(pk=writer.pk)  # fresh permission cache
    live_post.cover = upload_photo(upload, writer, alt="The Berlin store", caption="Opening day")
    live_post.save()
    page = client.get(live_post.get_absolute_url()).content.decode()
    assert 'alt="The Berlin store"' in page and "srcset=" in page
    assert "<figcaption>Opening day</figcaption>" in page
    assert '<meta property="og:image" content="http://testserver/media/' in page


def test_behind_a_trusted_proxy_each_visitor_has_their_own_comment_allowance(live_post, settings):
    from django.core.cache import cache

    cache.clear()
    settings.EARFUL_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.EARFUL_BLOG_COMMENT_RATE = "1/m"
    url = reverse("blog:comment", args=[live_post.slug])

    def post(visitor: str, body: str):
        return Client(HTTP_X_FORWARDED_FOR=visitor).post(
            url, {"name": "Ola", "email": "ola@example.org", "body": body}, follow=True
        )

    post("203.0.113.9", "First from one visitor")
    post("198.51.100.1", "First from another visitor")
    assert "too fast" in post("203.0.113.9", "Second from the first").content.decode()
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.1",
        "203.0.113.9",
    ]
    cache.clear()
