"""A real server and a real browser: the demo stack on a free port, driven by Chromium.

The server runs ``manage.py runserver`` on its own SQLite database, launched like ``make demo``
(smaller), with emails written to files the test reads. The browser is Debian's ``chromium``
(``make test`` installs it when missing), driven by Playwright.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..support import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "guildhall-demo"


@dataclass
class LiveDemo:
    port: int
    mail_dir: Path
    env: dict

    def url(self, slug: str | None, path: str = "/") -> str:
        host = f"{slug}.localhost" if slug else "localhost"
        return f"http://{host}:{self.port}{path}"

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)]


@pytest.fixture(scope="session")
def live_demo(tmp_path_factory) -> Iterator[LiveDemo]:
    workdir = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "FORM_MIN_FILL_SECONDS": "0",
        "WAGTAILADMIN_BASE_URL": f"http://localhost:{port}",
    }
    demo = LiveDemo(port, workdir / "mail", env)
    demo.manage("migrate", "--noinput", "-v0")
    demo.manage("launch_portal", "steel", "--domain", f"localhost:{port}", "--demo", "60")
    demo.manage("demo_users")
    demo.manage("run_board_jobs")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(demo.url(None, "/robots.txt"), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the demo server did not start") from None
                time.sleep(0.3)
        yield demo
    finally:
        server.terminate()
        server.wait(timeout=10)


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
