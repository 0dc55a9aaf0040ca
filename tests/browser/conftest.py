"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser)."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Playwright and chromium for one test, stopped after it, so that the tests that follow run
    in a plain synchronous thread again."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing: .ci/run must install it")
        pytest.skip("Debian's chromium package is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright lives, its sync API keeps an event loop marked as running in this thread;
    # Django's connection handler then looks for its connections in a context variable and would
    # open a second set there: one that serialized rollback never restores, and that holds a
    # second handle on SQLite's shared in-memory test database. Keep the thread's own.
    own_connections = {alias: connections[alias] for alias in connections}
    # The test body's ORM calls are synchronous and safe while Playwright's loop is "running".
    allowed_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        for alias, connection in own_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if allowed_before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed_before


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
