"""The blog in a real browser: a reader reads a post and comments, a moderator approves the
comment from the queue, readers reply in the thread and edit their comment, a writer closes
comments from the console."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.blog.actions.comments import moderate_comment, submit_comment
from earful.blog.actions.posts import make_author, publish_post, save_post
from earful.blog.models import Comment, Post

CONSOLE_LOGIN = "/console/login"
PASSWORD = "a long enough password"
BODY = "We opened the tour in **Berlin**.\n\nThe new *Arc phone* was there, all day long."


def console_log_in(page, username: str, next_url: str) -> None:
    """Open a console page while logged out, get sent to the login form, log in there."""
    page.goto(next_url)
    expect(page).to_have_url(re.compile(re.escape(CONSOLE_LOGIN) + r"\?next="))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def write_comment(page, body: str, name: str = "", email: str = "") -> None:
    """Fill the post page's comment form as a guest and send it."""
    form = page.locator("form#reply")
    if name:
        form.get_by_label("Name").fill(name)
    if email:
        form.get_by_label("E-mail").fill(email)
    form.locator("textarea[name=body]").fill(body)
    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return errors


@pytest.fixture
def other_page(browser, live_server):
    """A second browser with its own cookies: another person at another desk."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def people(django_user_model):
    """Maya writes the blog (role author); Rui answers customers (role responder)."""
    maya = django_user_model.objects.create_user(
        "maya", password=PASSWORD, first_name="Maya", last_name="Lind"
    )
    set_roles(maya, ["author"])
    rui = django_user_model.objects.create_user("rui", password=PASSWORD)
    set_roles(rui, ["responder"])
    return {"author": maya, "responder": rui}


@pytest.fixture
def live_post(people):
    author = make_author(people["author"], bio="Touring 40 stores in 40 days.")
    post = save_post(author, "Day 1: Berlin", BODY, tags=["Tour", "Arc phone"])
    return publish_post(post)


@pytest.fixture
def approved(live_post):
    """Ola's first comment, approved by a moderator: her next ones go out at once."""
    comment = submit_comment(
        live_post, body="First time here, hello from Hamburg!", name="Ola",
        email="ola@example.org",
    )  # fmt: skip
    return moderate_comment(comment, "approve", None)


@pytest.mark.parametrize("role", ["responder", "author"])
def test_a_guest_comment_waits_for_a_moderator_who_approves_it_from_the_queue(
    page, other_page, live_post, people, role, browser_errors
):
    page.goto("/blog/")
    with page.expect_navigation():
        page.locator("article.card h2 a", has_text="Day 1: Berlin").click()
    expect(page).to_have_url(re.compile(r"/blog/day-1-berlin/$"))
    expect(page.locator("article.post h1")).to_have_text("Day 1: Berlin")
    content = page.locator("article.post .e-content")
    expect(content.locator("strong")).to_have_text("Berlin")  # Markdown, rendered
    expect(content.locator("em")).to_have_text("Arc phone")
    expect(page.locator("article.post .byline")).to_contain_text("Maya Lind")
    expect(page.locator("article.post .tags a")).to_have_text(["#Arc phone", "#Tour"])
    expect(page.locator("#comments h2")).to_have_text("0 comments")

    write_comment(page, "Lovely to see the tour start here!", "Ben", "ben@example.org")

    expect(page).to_have_url(re.compile(r"/blog/day-1-berlin/#comments$"))
    expect(page.locator(".messages")).to_contain_text("waiting for a moderator")
    expect(page.locator(".thread li")).to_have_count(0)
    expect(page.locator("#comments")).not_to_contain_text("Lovely to see the tour")
    held = Comment.objects.get()
    assert held.status == Comment.Status.PENDING

    moderator = other_page
    moderator_errors = errors_of(moderator)
    console_log_in(moderator, people[role].username, "/console/blog/moderation")
    expect(moderator.locator("nav.tabs a.active")).to_have_text("Held comments (1)")
    row = moderator.locator(f"#queue tr[data-comment='{held.pk}']")
    expect(row.locator(".pill")).to_have_text(["first comment from this address"])
    expect(row).to_contain_text("Lovely to see the tour start here!")
    expect(row).to_contain_text("ben@example.org")
    expect(row.get_by_role("link", name="Day 1: Berlin")).to_be_visible()
    with moderator.expect_navigation():
        row.get_by_role("button", name="Approve").click()
    expect(moderator.locator(".messages")).to_contain_text("Approved: 1 comment.")
    expect(moderator.locator("#queue")).to_contain_text("No comments are held.")
    expect(moderator.locator("nav.tabs a.active")).to_have_text("Held comments (0)")
    expect(moderator.locator("#log")).to_contain_text(people[role].username)

    page.reload()
    shown = page.locator(f"#comment-{held.pk}")
    expect(shown.locator(".body")).to_have_text("Lovely to see the tour start here!")
    expect(shown.locator(".meta strong")).to_have_text("Ben")
    expect(page.locator("#comments h2")).to_have_text("1 comment")
    assert browser_errors == [] and moderator_errors == []


def test_a_reader_with_no_console_role_is_kept_out_of_the_queue(
    other_page, django_user_model, live_post
):
    lee = django_user_model.objects.create_user("lee", password=PASSWORD)
    set_roles(lee, ["listener"])
    submit_comment(live_post, body="Hold me", name="Ben", email="ben@example.org")
    other_page.goto(CONSOLE_LOGIN + "?next=/console/blog/")
    other_page.fill("input[name=username]", "lee")
    other_page.fill("input[name=password]", PASSWORD)
    with other_page.expect_navigation():
        other_page.click("[type=submit]")
    response = other_page.goto("/console/blog/moderation")
    assert response.status == 403
    expect(other_page.locator("body")).not_to_contain_text("Hold me")


def test_a_reply_is_published_at_once_and_indented_under_its_parent(
    page, live_post, approved, browser_errors
):
    later = submit_comment(live_post, body="A second thought, later on.", name="Ola",
                           email="ola@example.org")  # fmt: skip
    assert later.status == Comment.Status.PUBLISHED
    page.goto(live_post.get_absolute_url())
    expect(page.locator("form#reply .replying")).to_have_count(0)
    parent = page.locator(f"#comment-{approved.pk}")
    expect(parent).to_have_class(re.compile(r"\bdepth-0\b"))
    parent.get_by_role("link", name="Reply").click()

    expect(page).to_have_url(re.compile(rf"\?reply={approved.pk}#reply$"))
    replying = page.locator("form#reply .replying")
    expect(replying).to_contain_text("Replying to a comment.")
    expect(replying.get_by_role("link", name="a comment")).to_have_attribute(
        "href", f"#comment-{approved.pk}"
    )
    expect(page.locator("form#reply input[name=parent]")).to_have_value(str(approved.pk))
    write_comment(page, "Answering my own hello: Berlin was great.", "Ola", "ola@example.org")

    reply = Comment.objects.get(parent=approved)
    assert reply.status == Comment.Status.PUBLISHED
    expect(page).to_have_url(re.compile(rf"/blog/day-1-berlin/#comment-{reply.pk}$"))
    expect(page.locator(".messages")).to_contain_text("your comment is published")
    shown = page.locator(f"#comment-{reply.pk}")
    expect(shown).to_have_class(re.compile(r"\bdepth-1\b"))
    expect(shown.locator(".body")).to_have_text("Answering my own hello: Berlin was great.")
    # Reading order: the parent, its reply, then the later top-level comment.
    ids = page.locator(".thread > li").evaluate_all("items => items.map(li => li.id)")
    assert ids == [f"comment-{approved.pk}", f"comment-{reply.pk}", f"comment-{later.pk}"]
    indent = shown.bounding_box()["x"] - parent.bounding_box()["x"]
    assert indent > 10
    assert page.locator(f"#comment-{later.pk}").bounding_box()["x"] == parent.bounding_box()["x"]
    expect(page.locator("form#reply .replying")).to_have_count(0)  # the form is fresh again
    expect(page.locator("#comments h2")).to_have_text("3 comments")
    assert browser_errors == []


def test_a_reply_to_a_comment_removed_meanwhile_is_refused_and_keeps_the_text(
    page, live_post, approved
):
    page.goto(f"{live_post.get_absolute_url()}?reply={approved.pk}#reply")
    expect(page.locator("form#reply .replying")).to_be_visible()
    moderate_comment(approved, "remove", None)  # a moderator, while the reader types
    write_comment(page, "Are you still there?", "Ben", "ben@example.org")

    expect(page.locator("form#reply [role=alert]")).to_contain_text(
        "The comment you answer is not published."
    )
    expect(page.locator("form#reply textarea[name=body]")).to_have_value("Are you still there?")
    expect(page.locator("form#reply").get_by_label("Name")).to_have_value("Ben")
    assert not Comment.objects.filter(body="Are you still there?").exists()


def test_the_writer_of_a_comment_edits_it_within_the_window_and_nobody_else_can(
    page, other_page, live_post, approved, browser_errors
):
    page.goto(live_post.get_absolute_url())
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)  # Ola's first was elsewhere
    write_comment(page, "The queue went round the block.", "Ola", "ola@example.org")
    mine = Comment.objects.get(body="The queue went round the block.")
    shown = page.locator(f"#comment-{mine.pk}")
    expect(page.get_by_role("link", name="Edit")).to_have_count(1)
    with page.expect_navigation():
        shown.get_by_role("link", name="Edit").click()

    expect(page.locator("h1")).to_contain_text("Edit your comment on Day 1: Berlin")
    box = page.locator("textarea[name=body]")
    expect(box).to_have_value("The queue went round the block.")
    box.fill("The queue went round the block **twice**.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"#comment-{mine.pk}$"))
    expect(page.locator(".messages")).to_contain_text("Your comment is updated.")
    expect(shown.locator(".body")).to_have_text("The queue went round the block twice.")
    expect(shown.locator(".body strong")).to_have_text("twice")
    expect(shown.locator(".edited")).to_have_text("(edited)")
    assert browser_errors == []

    # Another reader sees no Edit link, and the edit page itself refuses them.
    other_page.goto(live_post.get_absolute_url())
    expect(other_page.locator(f"#comment-{mine.pk} .body")).to_be_visible()
    expect(other_page.get_by_role("link", name="Edit")).to_have_count(0)
    response = other_page.goto(f"/blog/comments/{mine.pk}/edit")
    assert response.status == 403
    expect(other_page.locator("textarea")).to_have_count(0)
    mine.refresh_from_db()
    assert mine.body == "The queue went round the block **twice**."


def test_the_edit_link_goes_away_when_the_window_has_passed(page, live_post, approved):
    page.goto(live_post.get_absolute_url())
    write_comment(page, "Edit me while you can.", "Ola", "ola@example.org")
    mine = Comment.objects.get(body="Edit me while you can.")
    expect(page.locator(f"#comment-{mine.pk}").get_by_role("link", name="Edit")).to_be_visible()
    Comment.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    response = page.goto(f"/blog/comments/{mine.pk}/edit")
    assert response.status == 403
    expect(page.locator(".error")).to_contain_text("15 minutes")
    page.goto(live_post.get_absolute_url())
    expect(page.locator(f"#comment-{mine.pk} .body")).to_be_visible()
    # The page is rendered on the server: count at once rather than wait for a change.
    assert page.locator(f"#comment-{mine.pk}").get_by_role("link", name="Edit").count() == 0


def open_post_in_console(page, title: str) -> None:
    console_log_in(page, "maya", "/console/blog/")
    with page.expect_navigation():
        page.locator("#posts").get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(f"Edit “{title}”")


def test_the_writer_closes_comments_and_the_public_post_shows_no_form(
    page, other_page, live_post, approved, browser_errors
):
    page.goto(live_post.get_absolute_url())  # a reader has the post open, form and all
    expect(page.locator("form#reply")).to_be_visible()
    expect(page.get_by_role("link", name="Reply")).to_have_count(1)

    writer = other_page
    open_post_in_console(writer, "Day 1: Berlin")
    enabled = writer.get_by_label("Comments enabled")
    expect(enabled).to_be_checked()
    enabled.uncheck()
    with writer.expect_navigation():
        writer.get_by_role("button", name="Save", exact=True).click()
    expect(writer.locator(".messages")).to_contain_text("Saved “Day 1: Berlin”.")
    expect(writer.get_by_label("Comments enabled")).not_to_be_checked()
    live_post.refresh_from_db()
    assert live_post.comments_enabled is False and live_post.is_live

    page.reload()
    expect(page.locator("#comments .closed")).to_have_text("Comments are closed.")
    expect(page.locator("form#reply")).to_have_count(0)
    expect(page.get_by_role("link", name="Reply")).to_have_count(0)
    expect(page.locator(f"#comment-{approved.pk} .body")).to_be_visible()  # still readable
    assert browser_errors == []


def test_comments_close_after_the_days_the_writer_sets(page, other_page, people):
    author = make_author(people["author"])
    post = save_post(author, "Day 3: Lyon", "Lyon, rainy and full.")
    publish_post(post, at=timezone.now() - timedelta(days=3))
    page.goto(post.get_absolute_url())
    expect(page.locator("form#reply")).to_be_visible()  # the site's default: 30 days

    open_post_in_console(other_page, "Day 3: Lyon")
    other_page.get_by_label("Close comments after days").fill("2")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Save", exact=True).click()
    expect(other_page.locator(".messages")).to_contain_text("Saved “Day 3: Lyon”.")
    assert Post.objects.get(pk=post.pk).close_comments_after_days == 2

    page.reload()
    expect(page.locator("#comments .closed")).to_have_text("Comments are closed.")
    expect(page.locator("form#reply")).to_have_count(0)


def test_a_comment_sent_after_comments_closed_is_refused_with_its_text_kept(
    page, other_page, live_post
):
    page.goto(live_post.get_absolute_url())
    form = page.locator("form#reply")
    form.get_by_label("Name").fill("Ben")
    form.get_by_label("E-mail").fill("ben@example.org")
    form.locator("textarea[name=body]").fill("Typed before the writer closed comments.")

    open_post_in_console(other_page, "Day 1: Berlin")
    other_page.get_by_label("Comments enabled").uncheck()
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Save", exact=True).click()

    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments .closed")).to_have_text("Comments are closed.")
    assert not Comment.objects.exists()
    html = page.content()  # rendered on the server: no need to wait for a change
    assert "Comments are closed on this post." in html
    assert "Typed before the writer closed comments." in html
