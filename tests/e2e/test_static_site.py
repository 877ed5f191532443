"""The static copy of a portal, served by a plain file server, in a real browser.

``manage.py build_static`` writes the steel portal (small demo content) to a folder; Python's
``http.server`` serves it, which stands for "any static file server": no rewrites, no
fallbacks, only files. Chromium then checks what a visitor sees: the theme's styles, pagination
by path, Pagefind search with its filters, and forms that post to the live site.
"""

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..support import ROOT, copy_sqlite, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DOMAIN = "portal.test"  # the portal's own (live) address: steel.portal.test, never resolved
HOSTNAME = f"steel.{DOMAIN}"
LIVE_URL = "http://live.example.test"
WORD = "coil"  # in the titles of many demo sell offers and buy requests (and of companies)
TIMEOUT = 15_000
RESULTS = re.compile(r"^(\d+|No) results? for ", re.I)


@dataclass
class StaticSite:
    base_url: str
    folder: Path

    def url(self, path: str = "/") -> str:
        return f"{self.base_url}{path}"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"the static file server did not answer at {url}") from None
            time.sleep(0.1)


@pytest.fixture(scope="module")
def static_site(tmp_path_factory, migrated_sqlite) -> Iterator[StaticSite]:
    workdir = tmp_path_factory.mktemp("static")
    out = workdir / "out"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "VAR_DIR": str(workdir / "var"),
    }
    copy_sqlite(migrated_sqlite, workdir / "db.sqlite3")
    manage(env, "launch_portal", "steel", "--domain", DOMAIN, "--demo", "60")
    # Small search shards, so the browser merges several Pagefind indexes as on a big portal.
    manage(
        {**env, "STATIC_SEARCH_SHARD_SIZE": "25"},
        "build_static",
        "steel",
        "--out",
        str(out),
        "--base-url",
        base_url,
        "--live-url",
        LIVE_URL,
        "--jobs",
        "1",
        "-v0",
    )
    folder = out / HOSTNAME
    assert folder.is_symlink() and (folder / "index.html").is_file(), sorted(out.iterdir())
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_served(f"{base_url}/", server)
        yield StaticSite(base_url, folder)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_home_page_is_styled_by_the_theme(static_site, new_page):
    page = new_page()
    stylesheets: list[tuple[str, int]] = []
    failed: list[str] = []
    page.on(
        "response",
        lambda r: r.request.resource_type == "stylesheet" and stylesheets.append((r.url, r.status)),
    )
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(static_site.url("/"))
    assert response.status == 200
    page.wait_for_load_state("load")

    assert any("/static/themes/" in url for url, _ in stylesheets), stylesheets
    assert all(status == 200 for _, status in stylesheets), stylesheets
    assert not [url for url in failed if url.startswith(static_site.base_url)], failed
    # Every stylesheet was parsed into rules (a 200 with an HTML error page would have none).
    rules = page.evaluate(
        "Array.from(document.styleSheets).filter(s => s.href).map(s => s.cssRules.length)"
    )
    assert rules and all(rules), rules

    # Styles only the stylesheets set: browser defaults are a transparent header, a serif
    # body font and headings as written.
    header = page.locator(".site-header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    heading = page.locator("h1, h2").first
    assert heading.evaluate("e => getComputedStyle(e).textTransform") == "uppercase"  # industrial

    # Links to the portal lead to the static copy; sign-in to the live site.
    assert header.locator("a.brand").get_attribute("href") == static_site.url("/")
    sign_in = header.get_by_role("link", name="Sign in").get_attribute("href")
    assert sign_in.startswith(f"{LIVE_URL}/"), sign_in


def card_titles(page) -> list[str]:
    titles = page.locator(".card-grid .card__title")
    expect(titles.first).to_be_visible()
    return titles.all_inner_texts()


def test_the_board_paginates_by_path(static_site, new_page):
    page = new_page()
    page.goto(static_site.url("/board/"))
    first = card_titles(page)

    following = page.locator("nav.pagination a[rel=next]")
    expect(following).to_contain_text("Next")
    following.click()
    page.wait_for_url(static_site.url("/board/page/2/"))
    second = card_titles(page)

    assert second and not set(first) & set(second), (first, second)
    expect(page.locator("nav.pagination [aria-current=page]")).to_have_text("2")


def result_count(message) -> int:
    expect(message).to_have_text(RESULTS, timeout=TIMEOUT)
    number = RESULTS.match(message.inner_text().strip()).group(1)
    return 0 if number.lower() == "no" else int(number)


def test_pagefind_search_with_a_filter(static_site, new_page):
    page = new_page()
    page.goto(static_site.url(f"/search/?q={WORD}"))
    expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=TIMEOUT)
    message = page.locator(".pagefind-ui__message")
    total = result_count(message)
    assert total > 0
    before = message.inner_text()

    # The "Kind" filter (open by default) offers sell offers with their count in this search.
    kind = page.locator(".pagefind-ui__filter-block").filter(
        has=page.locator("summary", has_text=re.compile(r"^Kind$"))
    )
    if kind.get_attribute("open") is None:
        kind.locator("summary").click()
    option = kind.locator(".pagefind-ui__filter-value").filter(has_text="Sell offers")
    label = option.locator("label").inner_text()
    expected = int(re.search(r"\((\d+)\)", label).group(1))
    assert 0 < expected < total, f"{WORD!r} should match sell offers and other pages: {label}"
    option.locator("input[type=checkbox]").check()

    expect(message).not_to_have_text(before, timeout=TIMEOUT)
    filtered = result_count(message)
    assert 0 < filtered < total
    assert filtered == expected

    # A result leads to its page on the static copy.
    result = page.locator(".pagefind-ui__result-link").first
    title = result.inner_text().strip()
    result.click()
    page.wait_for_url(re.compile(rf"^{re.escape(static_site.url('/board/'))}.+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_listing_inquiry_posts_to_the_live_site(static_site, new_page):
    page = new_page()
    page.goto(static_site.url("/board/"))
    page.locator(".card-grid .card--sell .card__title a").first.click()
    page.wait_for_url(re.compile(rf"^{re.escape(static_site.url('/board/'))}.+/$"))
    form = page.locator("form[data-live-form]")
    expect(form).to_be_visible()
    action = form.get_attribute("action")
    assert action.startswith(f"{LIVE_URL}/") and action.endswith("/inquiry/"), action
