"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is the system one (/usr/bin/chromium): nothing is downloaded. One browser per test
session (per xdist worker), one fresh context (cookies, storage) per test.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API keeps an event loop in the test thread; the ORM calls that build each test's
# data would otherwise raise SynchronousOnlyOperation. Tests only: the server never sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "correct horse battery 42"  # tests.factories.make_user's default

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()


def _fresh_page(browser, **options):
    # vi-VN: the browser asks for Vietnamese, as most users' phones do (LocaleMiddleware reads it).
    context = browser.new_context(locale="vi-VN", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, tab = _fresh_page(browser, viewport={"width": 1280, "height": 900})
    yield tab
    context.close()


@pytest.fixture
def mobile_page(browser):
    """A 390×844 phone (iPhone 12-14 class), touch, at 2× pixel density."""
    context, tab = _fresh_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield tab
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 costs ~1 s a hash here and each test hashes several times (make_user, the login form);
    the login still goes through Django's real authentication."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _live_reference_data(transactional_db, live_server, reference_data):
    """Every browser test talks to the live server, whose flushes empty the reference tables."""


@pytest.fixture
def log_in(live_server):
    """Log a user in through the login page, as a person would."""

    def _log_in(page, user, *, password: str = PASSWORD, screenshot: Path | None = None):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(user.get_username())
        page.locator("#id_password").fill(password)
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
        page.locator("main form button[type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return _log_in
