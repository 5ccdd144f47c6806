"""The blog's console pages: writing and publishing posts, the author profile, moderation."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from earful.blog.actions.comments import submit_comment
from earful.blog.actions.posts import make_author, save_post
from earful.blog.models import (
    AuthorProfile,
    Comment,
    Linkback,
    ModerationLog,
    OutgoingLink,
    Post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client, user_with_roles):
    user = user_with_roles("author", username="mlind")
    user.first_name, user.last_name = "Maya", "Lind"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def moderator(client, user_with_roles):
    user = user_with_roles("responder", username="rae")
    client.force_login(user)
    return user


@pytest.fixture
def draft(user_with_roles):
    other = user_with_roles("author", username="omar")
    return save_post(make_author(other, "Omar"), "Plans", "Where we go next.", tags=["tour"])


@pytest.fixture
def held(live_post):
    """Two comments held for moderation (first comments of new addresses) and one spam."""
    first = submit_comment(live_post, body="Lovely stop!", name="Ola", email="ola@example.org")
    second = submit_comment(
        live_post, body="When do you come to Oslo?", name="Per", email="per@example.org"
    )
    spam = submit_comment(live_post, body="nice", name="Bot", email="bot@example.org")
    Comment.objects.filter(pk=spam.pk).update(status=Comment.Status.SPAM)
    assert first.status == second.status == Comment.Status.PENDING
    return first, second, Comment.objects.get(pk=spam.pk)


def _post_form(**fields) -> dict:
    form = {
        "title": "Day 2: Hamburg",
        "slug": "",
        "body": "We were in **Hamburg**.",
        "summary": "",
        "tags": "Tour, Hamburg, tour",
        "comments_enabled": "on",
        "close_comments_after_days": "",
        "publish": "keep",
        "publish_at": "",
    }
    form.update(fields)
    return {k: v for k, v in form.items() if v is not None}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Permissions


def test_every_page_sends_anonymous_visitors_to_log_in(client, live_post):
    for url in (
        reverse("blog-console:posts"),
        reverse("blog-console:post-new"),
        reverse("blog-console:post-edit", args=[live_post.pk]),
        reverse("blog-console:author"),
        reverse("blog-console:moderation"),
    ):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next=")


def test_writing_pages_need_write_posts(client, user_with_roles, live_post):
    pages = [
        reverse("blog-console:posts"),
        reverse("blog-console:post-new"),
        reverse("blog-console:post-edit", args=[live_post.pk]),
        reverse("blog-console:author"),
    ]
    for role in ("listener", "responder"):
        client.force_login(user_with_roles(role))
        for url in pages:
            assert client.get(url).status_code == 403, (role, url)
            assert client.post(url, _post_form(title="Taken over")).status_code == 403
    assert not Post.objects.filter(title="Taken over").exists()
    client.force_login(user_with_roles("author", username="writer"))
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(user_with_roles("admin"))
    assert client.get(pages[0]).status_code == 200


def test_moderation_needs_moderate_comments(client, user_with_roles, held):
    url = reverse("blog-console:moderation")
    client.force_login(user_with_roles("listener"))
    assert client.get(url).status_code == 403
    response = client.post(url, {"kind": "comment", "ids": [held[0].pk], "action": "approve"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=held[0].pk).status == Comment.Status.PENDING
    for role in ("responder", "author", "admin"):
        client.force_login(user_with_roles(role))
        assert client.get(url).status_code == 200, role


def test_the_nav_shows_blog_and_moderation_to_those_who_may(client, user_with_roles):
    client.force_login(user_with_roles("responder"))
    page = client.get(reverse("blog-console:moderation")).content.decode()
    assert ">Moderation</a>" in page and ">Blog</a>" not in page
    client.force_login(user_with_roles("author"))
    page = client.get(reverse("blog-console:posts")).content.decode()
    assert ">Moderation</a>" in page and ">Blog</a>" in page


def test_forms_refuse_posts_without_the_csrf_token(user_with_roles, held):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user_with_roles("author", username="writer"))
    new = reverse("blog-console:post-new")
    assert browser.post(new, _post_form()).status_code == 403
    assert browser.post(reverse("blog-console:author"), {"display_name": "X"}).status_code == 403
    moderation = reverse("blog-console:moderation")
    refused = browser.post(moderation, {"kind": "comment", "ids": [held[0].pk], "action": "spam"})
    assert refused.status_code == 403
    assert not Post.objects.filter(title="Day 2: Hamburg").exists()
    assert Comment.objects.get(pk=held[0].pk).status == Comment.Status.PENDING
    # With the token the pages put in their forms, the same posts go through.
    token = browser.get(new).context["csrf_token"]
    assert browser.post(new, _post_form(csrfmiddlewaretoken=token)).status_code == 302
    token = browser.get(moderation).context["csrf_token"]
    form = {"kind": "comment", "ids": [held[0].pk], "action": "spam", "csrfmiddlewaretoken": token}
    assert browser.post(moderation, form).status_code == 302
    assert Comment.objects.get(pk=held[0].pk).status == Comment.Status.SPAM


# Posts


def test_a_first_post_makes_the_writer_an_author_and_publishes(client, writer):
    response = client.post(reverse("blog-console:post-new"), _post_form(publish="publish"))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("blog-console:post-edit", args=[post.pk])
    assert post.status == Post.Status.PUBLISHED and post.published_at is not None
    assert post.author.user == writer and post.author.display_name == "Maya Lind"
    assert "<strong>Hamburg</strong>" in post.body_html
    assert [t.name for t in post.tags.all()] == ["Hamburg", "Tour"]
    assert post.slug == "day-2-hamburg" and post.comments_enabled
    listing = client.get(reverse("blog-console:posts"))
    row = listing.content.decode().split(f'data-post="{post.pk}"')[1].split("</tr>")[0]
    assert "published" in row and "Maya Lind" in row and post.get_absolute_url() in row


def test_keep_saves_a_draft_then_edit_keeps_the_author(client, writer, draft):
    client.post(reverse("blog-console:post-new"), _post_form(title="Mine", comments_enabled=None))
    mine = Post.objects.get(title="Mine")
    assert mine.status == Post.Status.DRAFT and not mine.comments_enabled
    edit = reverse("blog-console:post-edit", args=[draft.pk])
    page = client.get(edit)
    assert page.context["form"]["title"].value() == "Plans"
    assert page.context["form"]["tags"].value() == "tour"
    assert page.context["form"]["summary"].value() == ""  # made from the body, so it follows it
    response = client.post(
        edit,
        _post_form(title="Plans, revised", body="New body", tags="", slug="plans-2031",
                   close_comments_after_days="7"),
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Plans, revised" and draft.slug == "plans-2031"
    assert draft.author.user.username == "omar"  # edited by Maya, still Omar's post
    assert draft.close_comments_after_days == 7 and not draft.tags.exists()
    assert draft.summary == "New body"
    assert draft.status == Post.Status.DRAFT
    assert "Saved “Plans, revised”." in _messages(client.get(edit))


def test_scheduling_takes_the_time_as_utc_whatever_zone_is_active(client, writer):
    with timezone.override("America/New_York"):
        response = client.post(
            reverse("blog-console:post-new"),
            _post_form(publish="schedule", publish_at="2031-01-31T09:00"),
        )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == Post.Status.SCHEDULED
    assert post.publish_at == datetime(2031, 1, 31, 9, 0, tzinfo=UTC)
    assert post.published_at is None
    page = client.get(reverse("blog-console:post-edit", args=[post.pk])).content.decode()
    assert "Scheduled for 2031-01-31 09:00 UTC" in page and 'value="2031-01-31T09:00"' in page
    assert "in UTC" in page
    scheduled = client.get(reverse("blog-console:posts"), {"status": "scheduled"})
    assert [p.pk for p in scheduled.context["page"]] == [post.pk]
    assert not client.get(reverse("blog-console:posts"), {"status": "draft"}).context["page"]


def test_an_explicit_offset_is_honoured(client, writer):
    client.post(
        reverse("blog-console:post-new"),
        _post_form(publish="schedule", publish_at="2031-01-31T09:00+02:00"),
    )
    assert Post.objects.get().publish_at == datetime(2031, 1, 31, 7, 0, tzinfo=UTC)


def test_unpublish_and_publish_again(client, writer, live_post):
    edit = reverse("blog-console:post-edit", args=[live_post.pk])
    form = client.get(edit).context["form"]
    assert {value for value, _ in form.fields["publish"].choices} == {"keep", "unpublish"}
    client.post(edit, _post_form(title=live_post.title, body=live_post.body, publish="unpublish"))
    live_post.refresh_from_db()
    assert live_post.status == Post.Status.DRAFT
    client.post(edit, _post_form(title=live_post.title, body=live_post.body, publish="publish"))
    live_post.refresh_from_db()
    assert live_post.is_live


def test_preview_shows_the_rendering_and_saves_nothing(client, writer):
    response = client.post(
        reverse("blog-console:post-new"),
        _post_form(body="Some *emphasis*\n\n<script>alert(1)</script>", preview="1"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    preview = page.split('id="preview"')[1].split("</div>\n</div>")[0]
    assert "<em>emphasis</em>" in preview and "<script>" not in preview
    assert not Post.objects.exists()


def test_bad_post_input_gets_clear_errors_not_a_crash(client, writer, live_post):
    new = reverse("blog-console:post-new")
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    cases = [
        ({"title": "   "}, "A post needs a title."),
        ({"title": ""}, "A post needs a title."),
        ({"body": "  \n "}, "A post needs a body."),
        ({"body": "x" * 200_001}, "at most 200000 characters"),
        ({"title": "t" * 301}, "at most 300 characters"),
        ({"body": "nul \x00 here"}, "Null characters are not allowed."),
        ({"publish": "schedule", "publish_at": "2031-13-45T99:99"}, "like 2031-01-31T09:00 (UTC)"),
        ({"publish": "schedule", "publish_at": "tomorrow"}, "like 2031-01-31T09:00 (UTC)"),
        ({"publish": "schedule", "publish_at": "9999-12-31T23:59-05:00"}, "out of range"),
        ({"publish": "schedule", "publish_at": ""}, "Give the date and time (UTC)"),
        ({"publish": "schedule", "publish_at": past}, "has passed"),
        ({"publish": "explode"}, "Select a valid choice."),
        ({"publish": "unpublish"}, "Select a valid choice."),  # a new post is no draft yet
        ({"slug": live_post.slug}, "Another post already has the address"),
        ({"slug": "feed"}, "is the name of another blog page"),
        ({"slug": "no spaces/here"}, "Enter a valid “slug”"),
        ({"close_comments_after_days": "-1"}, "greater than or equal to 0"),
        ({"close_comments_after_days": "soon"}, "Enter a whole number."),
        ({"tags": ",".join(f"t{n}" for n in range(21))}, "At most 20 tags."),
        ({"tags": "x" * 61}, "A tag is at most 60 characters"),
    ]
    for change, error in cases:
        response = client.post(new, _post_form(**change))
        assert response.status_code == 200, change
        assert error in response.content.decode(), (change, error)
    assert Post.objects.count() == 1  # only the fixture's
    assert client.get(reverse("blog-console:post-edit", args=[999_999])).status_code == 404
    assert client.get(reverse("blog-console:posts"), {"status": "nonsense"}).status_code == 200
    assert client.get(reverse("blog-console:posts"), {"page": "-3"}).status_code == 200


def test_a_published_post_cannot_be_scheduled_without_unpublishing(client, writer, live_post):
    edit = reverse("blog-console:post-edit", args=[live_post.pk])
    response = client.post(
        edit, _post_form(title="x", body="y", publish="schedule", publish_at="2031-01-01T00:00")
    )
    assert "Select a valid choice." in response.content.decode()
    live_post.refresh_from_db()
    assert live_post.is_live and live_post.title == "Day 1: Berlin"


def test_the_list_counts_comments_and_linkbacks(client, writer, live_post, held):
    approved = held[0]
    client.post(
        reverse("blog-console:moderation"), {"kind": "comment", "one": f"{approved.pk}:approve"}
    )
    Linkback.objects.create(
        post=live_post,
        protocol="webmention",
        status="published",
        source_url="https://a.example/1",
        target_url="https://x/1",
    )
    Linkback.objects.create(post=live_post, protocol="webmention", status="pending",
                            source_url="https://a.example/2", target_url="https://x/1")  # fmt: skip
    row = client.get(reverse("blog-console:posts")).context["page"][0]
    assert (row.comments_published, row.comments_held) == (1, 1)  # Per's is held; spam is not
    assert (row.linkbacks_published, row.linkbacks_held) == (1, 1)


def test_a_published_post_shows_its_outgoing_linkbacks(client, writer, live_post):
    OutgoingLink.objects.create(
        post=live_post, target_url="https://friend.example/post", protocol="webmention",
        endpoint="https://friend.example/wm", status=OutgoingLink.Status.SENT,
        response_status=202, attempts=1, detail="Accepted", last_attempt_at=timezone.now(),
    )  # fmt: skip
    page = client.get(reverse("blog-console:post-edit", args=[live_post.pk])).content.decode()
    outgoing = page.split('id="outgoing"')[1]
    assert "https://friend.example/post" in outgoing and "https://friend.example/wm" in outgoing
    assert "Sent" in outgoing and "202" in outgoing and "Accepted" in outgoing


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(data, "PNG")
    return data.getvalue()


def test_a_cover_photo_is_uploaded_and_a_bad_one_refused(client, writer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    new = reverse("blog-console:post-new")
    bad = SimpleUploadedFile("cover.png", b"not an image", content_type="image/png")
    response = client.post(new, {**_post_form(), "cover": bad})
    assert (
        response.status_code == 200 and "The cover photo was not taken" in response.content.decode()
    )
    assert not Post.objects.exists()
    cover = SimpleUploadedFile("cover.png", _png(), content_type="image/png")
    client.post(new, {**_post_form(), "cover": cover, "cover_alt": "A red square"})
    post = Post.objects.get()
    assert post.cover is not None and post.cover.alt == "A red square" and post.cover.width == 32
    edit = reverse("blog-console:post-edit", args=[post.pk])
    client.post(edit, _post_form())  # no new file: the cover stays
    post.refresh_from_db()
    assert post.cover is not None
    client.post(edit, _post_form(remove_cover="on"))
    post.refresh_from_db()
    assert post.cover is None


# The author profile


def test_the_author_page_makes_and_changes_the_profile(client, writer, user_with_roles):
    url = reverse("blog-console:author")
    assert client.get(url).context["form"]["display_name"].value() == "Maya Lind"
    response = client.post(url, {"display_name": "Maya L.", "bio": "I *tour*.", "slug": ""})
    assert response.status_code == 302
    profile = AuthorProfile.objects.get(user=writer)
    assert profile.display_name == "Maya L." and profile.slug == "maya-l"
    assert "<em>tour</em>" in profile.bio_html
    assert "<em>tour</em>" in client.get(url).content.decode()
    make_author(user_with_roles("author", username="omar"), "Omar", slug="omar")
    for form, error in (
        ({"display_name": "  ", "bio": ""}, "Give the name readers will see."),
        ({"display_name": "M", "slug": "omar"}, "Another author already has the address"),
        ({"display_name": "M", "bio": "b" * 10_001}, "at most 10000 characters"),
        ({"display_name": "n" * 121}, "at most 120 characters"),
    ):
        response = client.post(url, form)
        assert response.status_code == 200 and error in response.content.decode(), form
    assert AuthorProfile.objects.get(user=writer).display_name == "Maya L."


# Moderation


def test_the_queue_shows_held_comments_with_reasons_and_spam_apart(client, moderator, held):
    first, second, spam = held
    response = client.get(reverse("blog-console:moderation"))
    assert {c.pk for c in response.context["page"]} == {first.pk, second.pk}
    page = response.content.decode()
    assert "first comment from this address" in page and "When do you come to Oslo?" in page
    assert "ola@example.org" in page and first.post.get_absolute_url() in page
    assert reverse("blog-console:post-edit", args=[first.post_id]) not in page  # no write_posts
    spam_tab = client.get(reverse("blog-console:moderation"), {"show": "spam"})
    assert [c.pk for c in spam_tab.context["page"]] == [spam.pk]
    assert client.get(reverse("blog-console:moderation"), {"show": "<x>"}).status_code == 200


def test_approve_spam_and_remove_one_at_a_time(client, moderator, held):
    first, second, spam = held
    url = reverse("blog-console:moderation")
    response = client.post(url, {"kind": "comment", "one": f"{first.pk}:approve"}, follow=True)
    assert "Approved: 1 comment." in _messages(response)
    first.refresh_from_db()
    assert first.status == Comment.Status.PUBLISHED and first.moderated_by == moderator
    assert first.mention_id is not None  # in the river
    client.post(url, {"kind": "comment", "one": f"{second.pk}:spam"})
    client.post(url, {"kind": "comment", "one": f"{spam.pk}:remove"})
    assert Comment.objects.get(pk=second.pk).status == Comment.Status.SPAM
    assert Comment.objects.get(pk=spam.pk).status == Comment.Status.REMOVED
    log = client.get(url).context["log"]
    assert [(e.action, e.user) for e in log[:3]] == [
        ("remove", moderator), ("spam", moderator), ("approve", moderator)
    ]  # fmt: skip
    assert "rae" in client.get(url).content.decode().split('id="log"')[1]


def test_bulk_actions_apply_to_the_checked_comments(client, moderator, held):
    first, second, spam = held
    url = reverse("blog-console:moderation")
    response = client.post(
        url,
        {"kind": "comment", "ids": [first.pk, second.pk], "action": "approve",
         "next": url + "?show=held"},
    )  # fmt: skip
    assert response["Location"] == url + "?show=held"
    assert set(Comment.objects.filter(status="published").values_list("pk", flat=True)) >= {
        first.pk, second.pk
    }  # fmt: skip
    client.post(url, {"kind": "comment", "ids": [first.pk, second.pk], "action": "remove"})
    assert Comment.objects.filter(pk__in=[first.pk, second.pk], status="removed").count() == 2


def test_bad_moderation_requests_get_a_message_and_change_nothing(client, moderator, held):
    first = held[0]
    url = reverse("blog-console:moderation")
    cases = [
        ({"kind": "comment", "ids": [first.pk], "action": "explode"}, "Unknown action"),
        ({"kind": "comment", "one": f"{first.pk}:delete-all"}, "Unknown action"),
        ({"kind": "comment", "ids": [], "action": "approve"}, "Select at least one item"),
        ({"kind": "comment", "ids": ["abc", "-1"], "action": "approve"}, "Select at least one"),
        ({"kind": "comment", "ids": [999_999], "action": "approve"}, "1 comment not found"),
        ({"kind": "comment", "one": "x:approve"}, "Select at least one item"),
        ({"kind": "post", "ids": [first.post_id], "action": "remove"}, "Unknown kind of item"),
        ({"kind": "comment", "ids": [first.pk], "action": "hold", "next": "https://evil.example/"},
         "Unknown action"),
    ]  # fmt: skip
    for form, error in cases:
        response = client.post(url, form)
        assert response.status_code == 302 and not response["Location"].startswith("https://evil")
        assert any(error in m for m in _messages(client.get(url))), (form, error)
    assert Comment.objects.get(pk=first.pk).status == Comment.Status.PENDING
    assert Post.objects.get(pk=first.post_id).is_live
    # A linkback's id given as a comment's reaches no comment of that number.
    linkback = Linkback.objects.create(
        post=first.post, protocol="webmention", status="pending",
        source_url="https://a.example/1", target_url="https://x/1",
    )  # fmt: skip
    client.post(url, {"kind": "comment", "ids": [first.pk, 999_999], "action": "spam"})
    messages = _messages(client.get(url))
    assert "Marked as spam: 1 comment." in messages and "1 comment not found" in messages[1]
    assert Linkback.objects.get(pk=linkback.pk).status == "pending"


def test_linkbacks_waiting_are_listed_and_moderated(client, moderator, live_post):
    pending = Linkback.objects.create(
        post=live_post, protocol="webmention", status="pending", title="A fan writes",
        source_url="https://fan.example/berlin", target_url="https://x/1", excerpt="So good",
    )  # fmt: skip
    spam = Linkback.objects.create(
        post=live_post, protocol="pingback", status="spam",
        source_url="https://casino.example/", target_url="https://x/1",
    )  # fmt: skip
    verifying = Linkback.objects.create(
        post=live_post, protocol="trackback", status="verifying",
        source_url="https://slow.example/", target_url="https://x/1",
    )  # fmt: skip
    url = reverse("blog-console:moderation")
    tab = client.get(url, {"show": "linkbacks"})
    assert {lb.pk for lb in tab.context["page"]} == {pending.pk, spam.pk}
    assert "A fan writes" in tab.content.decode() and "So good" in tab.content.decode()
    client.post(url, {"kind": "linkback", "one": f"{pending.pk}:approve"})
    assert Linkback.objects.get(pk=pending.pk).status == Linkback.Status.PUBLISHED
    assert ModerationLog.objects.filter(linkback=pending, action="approve").exists()
    response = client.post(
        url, {"kind": "linkback", "ids": [spam.pk, verifying.pk], "action": "approve"}
    )
    assert response.status_code == 302
    messages = _messages(client.get(url))
    assert "Approved: 1 linkback." in messages
    assert any("still being verified" in m and "slow.example" in m for m in messages)
    assert "not found" not in " ".join(messages)
    assert Linkback.objects.get(pk=spam.pk).status == Linkback.Status.PUBLISHED
    assert Linkback.objects.get(pk=verifying.pk).status == Linkback.Status.VERIFYING
    client.post(url, {"kind": "linkback", "ids": [spam.pk, verifying.pk], "action": "remove"})
    assert set(
        Linkback.objects.filter(pk__in=[spam.pk, verifying.pk]).values_list("status", flat=True)
    ) == {Linkback.Status.REMOVED}
