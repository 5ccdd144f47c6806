"""The ambassador program in a real browser: a member applies, a responder approves the
application; the new ambassador reports word of mouth with a photo; the responder
approves the report; the points show on the ambassador's profile and the program page,
the report is public and named on the week's tally, and the console's search finds it
as a Community mention."""

import io

import pytest
from playwright.sync_api import expect

from earful.accounts.actions import set_roles
from earful.community.models import AmbassadorReport, Category, Decision, Member

PASSWORD = "a long enough password"
CONSOLE_LOGIN = "/console/login"
SAID = "The barista asked how the Arc 5 camera does at night; I showed her my concert photos."


@pytest.fixture
def people(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = django_user_model.objects.create_user("mila", password=PASSWORD)
    Member.objects.create(user=member)
    responder = django_user_model.objects.create_user("rita", password=PASSWORD)
    set_roles(responder, ["responder"])
    Category.objects.create(name="Arc phones", slug="arc-phones")
    return member, responder


def sign_in(page, username: str, next_url: str) -> None:
    page.goto(f"{CONSOLE_LOGIN}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 60, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    return errors


def test_apply_report_approve_and_find_the_report(page, browser, live_server, people):
    member, _ = people
    errors = errors_of(page)
    program = "/community/ambassadors/"

    # the member applies
    sign_in(page, "mila", program)
    expect(page.locator("#standing")).to_contain_text("not an ambassador yet")
    page.fill("textarea[name=motivation]", "I talk about Arc phones at the photo club every week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("Thank you for applying")
    expect(page.locator("#standing")).to_contain_text("waiting for staff")

    # a responder approves the application, at another desk
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    staff_errors = errors_of(staff_page)
    try:
        sign_in(staff_page, "rita", "/community/ambassadors/review")
        application = staff_page.locator("li[id^=application-]")
        expect(application).to_contain_text("photo club")
        with staff_page.expect_navigation():
            application.get_by_role("button", name="Approve").click()
        expect(staff_page.locator(".messages")).to_contain_text("mila is an ambassador now")

        # the ambassador reports, with a photo
        page.reload()
        expect(page.locator("#standing")).to_contain_text("You are an ambassador")
        page.fill("input[name=place]", "Café Lumière, Lyon")
        page.fill("input[name=audience]", "the barista")
        page.fill("textarea[name=said]", SAID)
        page.select_option("select[name=product]", "arc-phones")
        page.fill("input[name=happened_on]", page.evaluate("new Date().toISOString().slice(0, 10)"))
        page.set_input_files(
            "input[name=photo]",
            files=[{"name": "cafe.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Send the report").click()
        expect(page.locator(".messages")).to_contain_text("your report waits for staff")
        expect(page.locator(".decision")).to_contain_text("Waiting for staff")
        report = AmbassadorReport.objects.get()
        assert report.photo

        # the responder approves the report from the review page
        staff_page.reload()
        pending = staff_page.locator(f"#report-{report.pk}")
        expect(pending).to_contain_text("Café Lumière")
        with staff_page.expect_navigation():
            pending.get_by_role("button", name="Approve").click()
        expect(staff_page.locator(".messages")).to_contain_text(f"Report {report.pk} approved")
        assert AmbassadorReport.objects.get().state == Decision.APPROVED

        # the points show on the profile and on the program page
        page.goto(f"/community/users/{member.username}/")
        expect(page.locator("#points")).to_have_text("20")
        page.goto(program)
        expect(page.locator("#standing .points")).to_have_text("20")
        expect(page.locator(".my-reports")).to_contain_text("Approved")

        # the report is public, with its photo, and counts in this week's tally
        anonymous = browser.new_context(base_url=live_server.url).new_page()
        anonymous.goto(report.get_absolute_url())
        expect(anonymous.locator("h1")).to_have_text("Word of mouth at Café Lumière, Lyon")
        expect(anonymous.locator("figure img")).to_be_visible()
        assert anonymous.evaluate("document.querySelector('figure img').naturalWidth") == 640
        anonymous.goto("/community/ambassadors/week")
        expect(anonymous.locator(".winner")).to_contain_text("mila")
        anonymous.context.close()

        # the console's search finds it among the Community's mentions
        staff_page.goto("/console/search?q=barista")
        hit = staff_page.locator(".result").filter(has_text="Café Lumière")
        expect(hit).to_have_count(1)
        expect(hit.locator(".meta")).to_contain_text("Community")
        expect(hit).to_contain_text("concert photos")
    finally:
        staff_context.close()
    assert errors == [] and staff_errors == []
