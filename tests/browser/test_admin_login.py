"""The browser-test infrastructure, proven on the Django admin's login."""

from playwright.sync_api import expect

from .conftest import LOGIN_URL, STAFF_PASSWORD, STAFF_USERNAME, log_in


def test_staff_user_logs_in_through_the_form_and_sees_the_admin_index(page, staff_user):
    log_in(page, STAFF_USERNAME, STAFF_PASSWORD)

    assert page.url.endswith("/admin/")
    expect(page).to_have_title("Site administration | Django site admin")
    expect(page.locator("#content h1")).to_have_text("Site administration")
    expect(page.locator("#user-tools")).to_contain_text(STAFF_USERNAME)
    # The session cookie came from the live server's real login view.
    assert any(cookie["name"] == "sessionid" for cookie in page.context.cookies())


def test_wrong_password_shows_the_error_and_stays_logged_out(page, staff_user):
    log_in(page, STAFF_USERNAME, "not the password")

    expect(page.locator(".errornote")).to_contain_text("Please enter the correct username")
    assert LOGIN_URL in page.url
    assert not any(cookie["name"] == "sessionid" for cookie in page.context.cookies())

    page.goto("/admin/")
    expect(page).to_have_url(f"{LOGIN_URL}?next=/admin/", ignore_case=False)
    expect(page.locator("#content-main form#login-form")).to_be_visible()


def test_static_files_load(page):
    responses = []
    page.on("response", lambda response: responses.append(response))

    response = page.goto(LOGIN_URL)
    assert response is not None and response.status == 200

    stylesheets = {r.url: r.status for r in responses if r.request.resource_type == "stylesheet"}
    assert any(url.endswith("/static/admin/css/base.css") for url in stylesheets), stylesheets
    assert set(stylesheets.values()) == {200}, stylesheets
    # And the CSS really applies: the admin's header is not an unstyled white block.
    header = page.locator("#header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_admin_index_has_no_console_errors(logged_in_page, browser_errors):
    logged_in_page.goto("/admin/")
    logged_in_page.wait_for_load_state("load")

    expect(logged_in_page.locator("#content h1")).to_have_text("Site administration")
    assert browser_errors == []
