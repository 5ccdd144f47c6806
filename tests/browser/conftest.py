"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every test in this directory is marked ``browser``: ``make test-browser`` runs only them,
``make test-sqlite`` and ``make test-postgres`` leave them out (``-m "not browser"``).

Playwright never downloads a browser here: it launches the system's chromium
(``EARFUL_CHROMIUM``, else ``chromium`` on PATH, else /usr/bin/chromium; install it with
``sh scripts/install-chromium.sh``). Without it the tests are skipped, unless
``EARFUL_REQUIRE_BROWSER=1`` (set by ``make test-browser``) makes that a failure.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The login form the helpers use. The admin's today; the console's own login page later.
LOGIN_URL = "/admin/login/"

DEFAULT_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",  # chromium's sandbox cannot start as root in a container
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]

_HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser/ ``browser`` (before ``-m`` deselects)."""
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def find_chromium() -> str | None:
    """The chromium binary to drive: $EARFUL_CHROMIUM, `chromium` on PATH, /usr/bin/chromium."""
    configured = os.environ.get("EARFUL_CHROMIUM", "")
    if configured:
        return shutil.which(configured)
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless chromium for the whole package of browser tests."""
    executable = find_chromium()
    if executable is None:
        message = "chromium not found (set EARFUL_CHROMIUM, or run: sh scripts/install-chromium.sh)"
        if os.environ.get("EARFUL_REQUIRE_BROWSER"):
            pytest.fail(message + "; EARFUL_REQUIRE_BROWSER is set", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while it is started,
    # so Django would refuse ORM calls from the tests (SynchronousOnlyOperation). Allow them
    # for exactly that lifetime; package scope stops Playwright when the browser tests end, so
    # the rest of a plain `pytest` run keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh page in a fresh context (no cookies) whose relative URLs go to the live server.

    Using it gives the test the live server and a transactional database (pytest-django).
    """
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browser_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of ``page``: ``assert browser_errors == []``.

    Collected from the moment the fixture is set up, so request it before navigating.
    """
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            errors.append(f"console.error: {message.text}" + (f" ({where})" if where else ""))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


def log_in(page, username: str, password: str) -> None:
    """Log in through the real login form at LOGIN_URL, as a person would.

    Returns once the form has been submitted and the next page has loaded; it does not check
    that the login succeeded (a test of a wrong password uses it too).
    """
    response = page.goto(LOGIN_URL)
    # Fail at once on a broken page rather than after waiting for a form that is not there.
    assert response is not None and response.ok, f"{LOGIN_URL} answered {response.status}"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("[type=submit]")


STAFF_USERNAME = "ada"
STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_user(django_user_model):
    """A staff superuser, STAFF_USERNAME / STAFF_PASSWORD."""
    return django_user_model.objects.create_superuser(
        username=STAFF_USERNAME, email="ada@example.com", password=STAFF_PASSWORD
    )


@pytest.fixture
def logged_in_page(page, staff_user):
    """``page``, logged in as ``staff_user`` through the login form."""
    log_in(page, STAFF_USERNAME, STAFF_PASSWORD)
    return page
