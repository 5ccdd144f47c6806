"""The ideas board in a real browser: a customer signs up and posts an idea after seeing the
similar ones, another votes and follows, a responder merges a duplicate into the original,
then marks the idea done with a public note; the worker's notices reach the voters and
followers, are logged for staff on the idea, and a voter unsubscribes from the link in the
mail."""

import re
from importlib import import_module

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.board.actions.follows import follow
from earful.board.actions.ideas import submit_idea
from earful.board.actions.notices import send_notices
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import vote
from earful.board.models import Follow, Idea, Merge, Notice, Status, StatusChange, Unsubscribe, Vote

PASSWORD = "a long enough password"
CONSOLE_LOGIN = "/console/login"
ORIGINAL_TITLE = "Export reports to CSV"
ORIGINAL_BODY = "We need the monthly report as a CSV file for our accountants."


@pytest.fixture
def statuses(transactional_db):
    """The default statuses. A data migration makes them, but the live server's
    transactional tests flush the database between tests, so make them again."""
    from django.apps import apps

    import_module("earful.board.migrations.0002_default_statuses").create_defaults(apps, None)
    return {status.slug: status for status in Status.objects.all()}


@pytest.fixture
def mail_and_worker(settings, live_server):
    """Mail kept in memory (django.core.mail.outbox), links in it to the live server, and
    the database task backend the worker runs, whatever the environment says."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EARFUL_SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail.outbox = []
    return settings


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, *roles: str):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password=PASSWORD
        )
        if roles:
            set_roles(user, list(roles))
        return user

    return make


@pytest.fixture
def other_page(browser, live_server):
    """A second browser with its own cookies: another person at another desk."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return errors


def sign_in(page, username: str, next_url: str) -> None:
    """Log in on the login form with ?next=next_url, and land on next_url."""
    page.goto(f"{CONSOLE_LOGIN}?next={next_url}")
    fill_login(page, username, next_url)


def fill_login(page, username: str, next_url: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def idea_path(idea: Idea) -> str:
    return f"/ideas/{idea.pk}/"


# --- 1. sign up and post ------------------------------------------------------------------


def test_a_customer_signs_up_sees_similar_ideas_and_posts_one(
    page, statuses, make_user, django_user_model, browser_errors
):
    original = submit_idea(make_user("ines"), title=ORIGINAL_TITLE, body=ORIGINAL_BODY)

    page.goto("/ideas/")
    expect(page.locator(f"#idea-{original.pk}")).to_contain_text(ORIGINAL_TITLE)
    with page.expect_navigation():
        page.get_by_role("link", name="Post an idea").click()
    expect(page).to_have_url(re.compile(r"/console/login\?next=/ideas/new$"))  # sign in first
    page.goto("/ideas/")
    with page.expect_navigation():
        page.locator("header.site").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/ideas/signup\?next=/ideas/$"))
    expect(page.locator("h1")).to_have_text("Sign up")
    form = page.locator("form.signup")
    form.get_by_label("Username").fill("cleo")
    form.get_by_label("Email").fill("Cleo@Example.org")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Password confirmation").fill(PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/ideas/$"))  # signed in, back where she was
    expect(page.locator("header.site")).to_contain_text("Sign out cleo")
    with page.expect_navigation():
        page.get_by_role("link", name="Post an idea").click()
    expect(page).to_have_url(re.compile(r"/ideas/new$"))
    cleo = django_user_model.objects.get(username="cleo")
    assert cleo.email == "cleo@example.org" and not cleo.groups.exists()

    similar = page.locator("#similar")
    expect(similar).to_be_hidden()
    page.fill("#id_title", "Export the monthly reports as CSV files")  # typed: the script asks
    expect(similar).to_be_visible()
    expect(similar.locator("h2")).to_have_text("Is it one of these? Vote there instead.")
    offered = similar.get_by_role("link", name=ORIGINAL_TITLE)
    expect(offered).to_have_attribute("href", idea_path(original))
    expect(similar.locator("li").first).to_contain_text("Open · 0 votes")

    # Without the script, the "Check" button asks the server for the same list.
    page.fill("#id_body", "Our accountants want CSV; a **PDF** is no use to them.")
    with page.expect_navigation():
        page.get_by_role("button", name="Check for similar ideas").click()
    expect(page.locator("#similar-list a")).to_have_text([ORIGINAL_TITLE])
    expect(page.locator("#id_title")).to_have_value("Export the monthly reports as CSV files")
    assert not Idea.objects.filter(author=cleo).exists()  # nothing posted by checking

    with page.expect_navigation():
        page.get_by_role("button", name="Post the idea").click()
    posted = Idea.objects.get(author=cleo)
    expect(page).to_have_url(re.compile(re.escape(idea_path(posted)) + "$"))
    expect(page.locator(".messages")).to_contain_text("Thank you, your idea is on the board.")
    expect(page.locator("article.idea h1")).to_have_text("Export the monthly reports as CSV files")
    expect(page.locator("article.idea .body strong")).to_have_text("PDF")
    expect(page.locator("article.idea .meta")).to_contain_text("Open")
    expect(page.locator("article.idea .meta")).to_contain_text("by cleo")
    expect(page.locator("#vote-count")).to_have_text("0")
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()  # authors follow
    expect(page.locator("section.similar")).to_contain_text(ORIGINAL_TITLE)
    assert posted.state == Idea.State.PUBLISHED
    assert browser_errors == []


# --- 2. vote and follow -------------------------------------------------------------------


def test_another_customer_votes_and_follows(page, statuses, make_user, browser_errors):
    idea = submit_idea(make_user("cleo"), title=ORIGINAL_TITLE, body=ORIGINAL_BODY)
    dario = make_user("dario")

    page.goto(idea_path(idea))
    expect(page.locator("#comments")).to_contain_text("to vote, follow and comment")
    with page.expect_navigation():
        page.get_by_role("button", name="Vote", exact=True).click()  # signed out: log in first
    expect(page).to_have_url(re.compile(re.escape(f"{CONSOLE_LOGIN}?next={idea_path(idea)}")))
    fill_login(page, "dario", idea_path(idea))
    assert not Vote.objects.exists()  # the login did not vote for him

    expect(page.get_by_role("button", name="Follow", exact=True)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You follow this idea")
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    assert Follow.objects.filter(idea=idea, user=dario).exists()

    expect(page.locator("#vote-count")).to_have_text("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Vote", exact=True).click()
    expect(page.locator("#vote-count")).to_have_text("1")
    expect(page.locator(".actions .votes")).to_have_text("1 vote")
    expect(page.get_by_role("button", name="Take my vote back")).to_be_visible()
    expect(page.get_by_role("button", name="Vote", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()

    page.reload()  # kept, and shown as his on the list
    expect(page.locator("#vote-count")).to_have_text("1")
    page.goto("/ideas/")
    expect(page.locator(f"#idea-{idea.pk} .votes.mine")).to_have_text("1 vote")
    idea.refresh_from_db()
    assert idea.vote_count == 1 and Vote.objects.filter(idea=idea, user=dario).count() == 1
    assert browser_errors == []


# --- 3. merge -----------------------------------------------------------------------------


def test_staff_merge_a_duplicate_and_its_votes_move_counting_each_person_once(
    page, other_page, statuses, make_user, browser_errors
):
    original = submit_idea(make_user("ines"), title=ORIGINAL_TITLE, body=ORIGINAL_BODY)
    duplicate = submit_idea(
        make_user("cleo"),
        title="Export the monthly reports as CSV files",
        body="Our accountants want CSV, not PDF.",
    )
    vera, max_, dario = make_user("vera"), make_user("max"), make_user("dario")
    for person in (vera, max_):
        vote(original, person)
    for person in (vera, dario):  # vera voted on both
        vote(duplicate, person)
    make_user("rui", "responder")
    reader_errors = errors_of(other_page)

    sign_in(page, "rui", idea_path(duplicate))
    expect(page.locator("#vote-count")).to_have_text("2")
    merge = page.locator("form#merge")
    expect(merge.locator("h3")).to_have_text("Merge this idea into another")
    merge.get_by_label(re.compile(rf"#{original.pk} {re.escape(ORIGINAL_TITLE)}")).check()
    merge.get_by_label("Public note").fill("The same request: **one** idea, one count.")
    with page.expect_navigation():
        merge.get_by_role("button", name="Merge").click()

    expect(page).to_have_url(re.compile(re.escape(idea_path(original)) + "$"))
    expect(page.locator(".messages")).to_contain_text(f"#{duplicate.pk} is merged into this idea.")
    expect(page.locator("article.idea h1")).to_have_text(ORIGINAL_TITLE)
    expect(page.locator("#vote-count")).to_have_text("3")  # vera, max, dario: vera once
    record = page.locator(f"#history #merge-{Merge.objects.get().pk}")
    expect(record).to_contain_text(
        f"merged #{duplicate.pk} “Export the monthly reports as CSV files” into this idea"
    )
    expect(record.locator(".note strong")).to_have_text("one")

    # The duplicate's address redirects, for anyone.
    response = other_page.goto(idea_path(duplicate))
    assert response.ok
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.url.endswith(idea_path(duplicate))
    assert response.request.redirected_from.response().status == 301
    expect(other_page).to_have_url(re.compile(re.escape(idea_path(original)) + "$"))
    expect(other_page.locator("#vote-count")).to_have_text("3")
    expect(other_page.locator("#history")).to_contain_text(f"merged #{duplicate.pk}")

    # vera, who voted on both, finds one vote of hers and can take it back.
    sign_in(other_page, "vera", idea_path(original))
    expect(other_page.get_by_role("button", name="Take my vote back")).to_be_visible()
    expect(other_page.locator("#vote-count")).to_have_text("3")

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert original.vote_count == 3 and duplicate.vote_count == 0
    assert duplicate.merged_into_id == original.pk
    assert sorted(Vote.objects.filter(idea=original).values_list("user__username", flat=True)) == [
        "dario",
        "max",
        "vera",
    ]
    assert not Vote.objects.filter(idea=duplicate).exists()
    followers = Follow.objects.filter(idea=original).values_list("user__username", flat=True)
    assert sorted(followers) == ["cleo", "dario", "ines", "max", "vera"]  # cleo wrote the copy
    merged = Merge.objects.get()
    assert (merged.votes_moved, merged.votes_merged) == (1, 1)
    assert browser_errors == [] and reader_errors == []


# --- 4. status change, changelog, notices, unsubscribe ------------------------------------


def test_done_with_a_public_note_is_in_the_history_the_changelog_and_the_notices(
    page, other_page, statuses, make_user, mail_and_worker, browser_errors
):
    from django_tasks_db.models import DBTaskResult

    cleo, vera, fiona = make_user("cleo"), make_user("vera"), make_user("fiona")
    rui = make_user("rui", "responder")
    idea = submit_idea(cleo, title=ORIGINAL_TITLE, body=ORIGINAL_BODY)  # cleo follows
    vote(idea, vera)  # and so follows
    follow(idea, fiona)
    reader_errors = errors_of(other_page)

    sign_in(page, "rui", idea_path(idea))
    expect(page.locator("#notices")).to_contain_text("No notices yet")
    staff = page.locator(f"form[action='/ideas/{idea.pk}/status']")
    staff.get_by_label("Status").select_option(label="Done")
    staff.get_by_label("Public note").fill("Shipped in **version 2.4**: Reports, then Export.")
    with page.expect_navigation():
        staff.get_by_role("button", name="Change status").click()

    expect(page.locator(".messages")).to_contain_text("The idea is now Done.")
    expect(page.locator("article.idea .status")).to_have_text("Done")
    change = StatusChange.objects.get(idea=idea)
    latest = page.locator("#history li").first
    expect(latest).to_contain_text("Open → Done")
    expect(latest.locator(".note strong")).to_have_text("version 2.4")

    # The public sees the note in the history and the entry in the changelog.
    other_page.goto(idea_path(idea))
    expect(other_page.locator("#history .note")).to_contain_text("Shipped in version 2.4")
    expect(other_page.locator("section.staff-tools")).to_have_count(0)
    other_page.goto("/ideas/changelog")
    entry = other_page.locator(f"#entry-{change.pk}")
    expect(entry.locator("h2 a")).to_have_text(ORIGINAL_TITLE)
    expect(entry.locator("h2 a")).to_have_attribute("href", idea_path(idea))
    expect(entry.locator(".note strong")).to_have_text("version 2.4")
    expect(entry.locator(".status")).to_have_text("Done")

    # The change queued its notices for the worker; nothing is sent before it runs.
    queued = DBTaskResult.objects.filter(task_path__endswith="send_notices_task")
    assert [task.args_kwargs["args"] for task in queued] == [[change.pk]]
    assert mail.outbox == []
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    assert {task.status for task in queued.all()} == {"SUCCESSFUL"}

    sent = sorted(message.to[0] for message in mail.outbox)
    assert sent == ["cleo@example.org", "fiona@example.org", "vera@example.org"]  # not rui
    assert set(Notice.objects.values_list("channel", "state")) == {("email", "sent")}

    page.reload()
    log = page.locator("#notices")
    group = log.locator("details.notice-group").first
    expect(group.locator("summary")).to_contain_text("Open → Done · 3 notices · 3 sent")
    rows = group.locator("tbody tr")
    expect(rows).to_have_count(3)
    for person in ("cleo", "fiona", "vera"):
        row = rows.filter(has_text=f"{person} <{person}@example.org>")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text("E-mail")
        expect(row.locator("td").nth(3)).to_contain_text("Sent")
        expect(row.locator("td").nth(3)).to_contain_text(f"Mailed to {person}@example.org.")

    # vera's mail says why she gets it and carries a working unsubscribe link.
    to_vera = next(message for message in mail.outbox if message.to == ["vera@example.org"])
    assert to_vera.subject == f"“{ORIGINAL_TITLE}” is now Done"
    assert "which you voted for, is now Done (it was Open)" in to_vera.body
    assert "Shipped in **version 2.4**" in to_vera.body
    entry_link = f"{mail_and_worker.EARFUL_SITE_URL}/ideas/changelog/{change.pk}"
    assert f"What we did: {entry_link}" in to_vera.body
    link = re.search(r"No more mail about this idea: (\S+)", to_vera.body).group(1)
    assert link.startswith(mail_and_worker.EARFUL_SITE_URL + "/ideas/unsubscribe/")
    html = to_vera.alternatives[0][0]
    assert f'href="{link}"' in html

    reader = other_page  # signed out: the links work without an account
    reader.goto(entry_link)
    expect(reader.locator("h1")).to_have_text(f"Done: {ORIGINAL_TITLE}")
    expect(reader.locator(".changelog-entry .note strong")).to_have_text("version 2.4")
    reader.goto(link)
    expect(reader.locator("h1")).to_have_text("Stop board mail?")
    expect(reader.locator(".unsubscribe")).to_contain_text(
        f"“{ORIGINAL_TITLE}” to vera@example.org"
    )
    assert not Unsubscribe.objects.exists()  # opening the page changes nothing
    with reader.expect_navigation():
        reader.get_by_role("button", name="Unsubscribe").click()
    expect(reader.locator("h1")).to_have_text("You are unsubscribed")
    expect(reader.locator(".unsubscribe")).to_contain_text(
        "We send you no more mail about this idea."
    )
    assert Unsubscribe.objects.filter(user=vera, idea=idea).exists()
    assert not Follow.objects.filter(idea=idea, user=vera).exists()

    # It holds: the next change mails the others, not vera (who still has her vote).
    mail.outbox = []
    send_notices(change_status(idea, statuses["in-progress"], "Round two.", rui))
    assert sorted(message.to[0] for message in mail.outbox) == [
        "cleo@example.org",
        "fiona@example.org",
    ]
    assert Vote.objects.filter(idea=idea, user=vera).exists()
    assert browser_errors == [] and reader_errors == []
