"""A real server and a real browser: the demo stack on a free port, driven by Chromium.

The server runs ``manage.py runserver`` on its own SQLite database, launched like ``make demo``
(smaller), with emails written to files the test reads. The browser is Debian's ``chromium``
(``make test`` installs it when missing), driven by Playwright.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

from ..support import LiveDemo, live_demo_server

PASSWORD = "guildhall-demo"


@pytest.fixture(scope="session")
def live_demo(tmp_path_factory, migrated_sqlite) -> Iterator[LiveDemo]:
    with live_demo_server(tmp_path_factory.mktemp("e2e"), migrated_sqlite) as demo:
        yield demo


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--host-resolver-rules=MAP *.localhost 127.0.0.1", "--no-sandbox"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Pages in fresh browser contexts; the test fails if the Content-Security-Policy blocked
    anything on any of them (the browser reports it on the console)."""
    contexts = []
    blocked: list[str] = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and blocked.append(f"{page.url}: {message.text}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not blocked, "\n".join(blocked)
