"""The support community in a real browser: a member asks a question after seeing a similar
one, another member answers, a third votes the answer up (without leaving the page), the
asker accepts it, and the answerer's profile shows the points and the new level."""

import re
from importlib import import_module

import pytest
from playwright.sync_api import expect

from earful.community import qa_views, view_counts
from earful.community.actions.posts import ask_question
from earful.community.models import Answer, Category, Member, Question, ReputationEvent, Vote

PASSWORD = "a long enough password"
CONSOLE_LOGIN = "/console/login"


@pytest.fixture
def community(transactional_db):
    """The default points, levels and badges. A data migration makes them, but the live
    server's transactional tests flush the database between tests, so make them again."""
    from django.apps import apps

    import_module("earful.community.migrations.0002_defaults").seed(apps, None)
    view_counts.seen.clear()
    qa_views._related.clear()  # ids repeat after the live server's flush
    return Category.objects.create(name="Arc phones", slug="arc-phones")


@pytest.fixture
def make_member(django_user_model):
    def make(username: str, points: int = 0):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password=PASSWORD
        )
        Member.objects.create(user=user, points=points, level=1 if points >= 15 else 0)
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


def sign_in(page, username: str, next_url: str) -> None:
    page.goto(f"{CONSOLE_LOGIN}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return errors


def test_ask_answer_vote_accept_and_the_answerer_levels_up(
    page, other_page, browser, live_server, community, make_member, browser_errors
):
    old = ask_question(
        make_member("olga"),
        title="Wifi keeps dropping on the Arc 5",
        body="Every few minutes the wifi disconnects and reconnects, at home and at work.",
        category=community,
    )
    make_member("asha")
    hugo = make_member("hugo")
    make_member("vera", points=20)

    # 1. Asha asks, after the page offers the similar question while she types.
    sign_in(page, "asha", "/community/ask")
    similar = page.locator("#similar")
    expect(similar).to_be_hidden()
    page.fill("#id_title", "Arc 5 battery and wifi drop overnight")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=old.title)).to_have_attribute(
        "href", old.get_absolute_url()
    )
    page.fill("#id_title", "Battery drains overnight on the Arc 5")
    page.fill("#id_body", "Since the **5.2 update** my Arc 5 loses 40% overnight, screen off.")
    page.select_option("#id_category", "arc-phones")
    page.fill("#id_tags", "battery, update")
    with page.expect_navigation():
        page.get_by_role("button", name="Post the question").click()
    question = Question.objects.get(author__username="asha")
    expect(page).to_have_url(re.compile(re.escape(question.get_absolute_url()) + "$"))
    expect(page.locator(".messages")).to_contain_text("your question is published")
    expect(page.locator("article.question h1")).to_have_text(question.title)
    expect(page.locator("article.question .body strong")).to_have_text("5.2 update")
    expect(page.locator("article.question .tag")).to_have_text(["battery", "update"])
    expect(page.locator("#answers h2")).to_have_text("0 answers")

    # 2. Hugo, a newcomer, answers from his own desk.
    sign_in(other_page, "hugo", "/community/users/hugo/")
    expect(other_page.locator("#points")).to_have_text("0")
    expect(other_page.locator("#level-name")).to_have_text("Newcomer")
    other_page.goto("/community/")
    with other_page.expect_navigation():
        other_page.get_by_role("link", name=question.title).click()
    other_page.fill("#id_answer", "Turn off 'Wake on nearby devices' in Settings > Radio.")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Post your answer").click()
    answer = Answer.objects.get(author=hugo)
    expect(other_page).to_have_url(re.compile(f"#answer-{answer.pk}$"))
    expect(other_page.locator(f"#answer-{answer.pk} .body")).to_contain_text("Wake on nearby")
    expect(other_page.locator(f"#answer-{answer.pk} button.up")).to_be_disabled()  # his own

    # 3. Vera votes the answer up; the script counts it without leaving the page.
    vera_context = browser.new_context(base_url=live_server.url)
    try:
        vera = vera_context.new_page()
        vera_errors = errors_of(vera)
        sign_in(vera, "vera", question.get_absolute_url())
        box = vera.locator(f"#answer-{answer.pk} form.vote")
        expect(box.locator(".score")).to_have_text("0")
        vera.evaluate("window.stayed = true")
        box.get_by_role("button", name="Vote up").click()
        expect(box.locator(".score")).to_have_text("1")
        expect(box.locator("button.up")).to_have_attribute("aria-pressed", "true")
        assert vera.evaluate("window.stayed") is True  # no reload
        assert Vote.objects.get(user__username="vera").value == 1
        vera.reload()
        expect(box.locator("button.up")).to_have_class(re.compile(r"\bon\b"))
        assert vera_errors == []
    finally:
        vera_context.close()

    # 4. Asha accepts the answer.
    page.reload()
    expect(page.locator("#answers h2")).to_have_text("1 answer")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator(".messages")).to_contain_text("Accepted")
    expect(page.locator(f"#answer-{answer.pk}")).to_have_class(re.compile(r"\baccepted\b"))
    expect(page.locator(f"#answer-{answer.pk} .flag.accepted")).to_have_text("✓ Accepted answer")

    # 5. Hugo's profile: 10 for the upvote, 15 for the acceptance, level 1.
    other_page.goto("/community/users/hugo/")
    expect(other_page.locator("#points")).to_have_text("25")
    expect(other_page.locator("#level")).to_have_text("1")
    expect(other_page.locator("#level-name")).to_have_text("Member")
    expect(other_page.locator("#accepted")).to_have_text("1")
    ledger = other_page.locator("#reputation")
    expect(ledger).to_contain_text("Answer accepted")
    expect(ledger).to_contain_text("Answer upvoted")
    expect(other_page.locator(".privileges")).to_contain_text("✓ Post links without review")
    assert sorted(ReputationEvent.objects.filter(user=hugo).values_list("points", flat=True)) == [
        10,
        15,
    ]

    # The list shows the question solved, and the leaderboard ranks Hugo.
    page.goto("/community/?answered=solved")
    expect(page.locator(f"#question-{question.pk} .answers.solved")).to_have_text("1 answer")
    page.goto("/community/leaderboard?period=week")
    expect(page.locator("table.leaderboard")).to_contain_text("hugo")
    assert browser_errors == []
