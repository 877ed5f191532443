"""Through a real Varnish (Debian's varnishd, started here on loopback) in front of the demo:
shared pages are kept, every change purges what shows it, and nobody can poison the cache."""

import http.client
import json
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ..support import ROOT, LiveDemo, free_port, live_demo_server

pytestmark = [pytest.mark.slow, pytest.mark.live]

HOST = "steel.localhost"


@dataclass
class Cached:
    demo: LiveDemo
    port: int  # Varnish, for visitors
    purge_port: int  # Varnish, for the app's purges
    proxy_port: int  # Varnish, PROXY protocol: requests that come from elsewhere
    name: str

    def get(self, path: str, host: str = HOST, method: str = "GET", **headers: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, headers={"Host": f"{host}:{self.port}", **headers})
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def shell(self, code: str) -> str:
        return self.demo.manage("shell", "-c", code)

    def varnish(self, *args: str) -> str:
        result = subprocess.run(
            ["bash", "scripts/varnish.sh", *args, "--name", self.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


@pytest.fixture(scope="module")
def cached(tmp_path_factory, migrated_sqlite) -> Iterator[Cached]:
    port, purge_port, proxy_port, admin_port = free_port(), free_port(), free_port(), free_port()
    env = {"VARNISH_URL": f"http://127.0.0.1:{purge_port}", "PAGE_CACHE_REPURGE_SECONDS": "1"}
    workdir = tmp_path_factory.mktemp("varnish")
    with live_demo_server(workdir, migrated_sqlite, scale=40, env=env, domain_port=port) as demo:
        cache = Cached(demo, port, purge_port, proxy_port, f"test-{port}")
        cache.varnish(
            "start",
            "--listen",
            f"127.0.0.1:{port}",
            "--backend",
            f"127.0.0.1:{demo.port}",
            "--admin",
            f"127.0.0.1:{admin_port}",
            "--purge-listen",
            f"127.0.0.1:{purge_port}",
            "--proxy-listen",
            f"127.0.0.1:{proxy_port}",
        )
        try:
            yield cache
        finally:
            cache.varnish("stop")


NEWEST_OFFER = """
import json
from portal.board.models import NEWEST_FIRST, SellOfferPage
offer = SellOfferPage.objects.live().filter(company__isnull=False).order_by(*NEWEST_FIRST)[{n}]
print(json.dumps({{"pk": offer.pk, "title": offer.title, "url": offer.get_url_parts()[2],
    "board": offer.get_parent().get_url_parts()[2],
    "company": offer.company.get_url_parts()[2]}}))
"""


def offer(cache: Cached, n: int = 0) -> dict:
    return json.loads(cache.shell(NEWEST_OFFER.format(n=n)).strip().splitlines()[-1])


def warm(cache: Cached, paths: list[str]) -> None:
    for path in paths:
        cache.get(path)
        status, headers, _ = cache.get(path)
        assert headers.get("x-cache") == "HIT", (path, status, headers)


def test_anonymous_pages_are_kept_and_answer_304(cached):
    status, headers, _ = cached.get("/board/")
    assert status == 200 and "public" in headers["cache-control"]
    status, again, _ = cached.get("/board/")
    assert again["x-cache"] == "HIT"
    status, _, body = cached.get("/board/", **{"If-None-Match": again["etag"]})
    assert status == 304 and body == ""


def test_an_edit_purges_every_page_that_shows_the_listing(cached):
    listing = offer(cached)
    word = listing["title"].split()[0].lower()
    paths = [
        listing["url"],
        listing["board"],
        "/",
        listing["company"],
        "/feeds/board/rss.xml",
        "/sitemap.xml",
        f"/search/?q={word}",
    ]
    warm(cached, paths)
    cached.shell(
        "from portal.board.models import SellOfferPage\n"
        f"page = SellOfferPage.objects.get(pk={listing['pk']})\n"
        "page.title = 'Quenched plate renamed through Varnish'\n"
        "page.save_revision().publish()\n"
    )
    for path in paths[:5]:
        _, headers, body = cached.get(path)
        assert "renamed through Varnish" in body, (path, headers.get("x-cache"))
    assert cached.get(paths[6])[1]["x-cache"] == "MISS"  # the search page's variants were banned


def test_unpublishing_and_expiry_take_listings_off_every_list(cached):
    first, second = offer(cached, 1), offer(cached, 2)
    warm(cached, [first["url"], first["board"], "/", first["company"], second["url"]])
    cached.shell(
        "from portal.board.models import SellOfferPage\n"
        f"SellOfferPage.objects.get(pk={first['pk']}).unpublish()\n"
    )
    assert cached.get(first["url"])[0] in (404, 410)
    assert f'href="{first["url"]}"' not in cached.get(first["board"])[2]
    # The expiry job unpublishes what is past its date, and purges it.
    cached.shell(
        "from datetime import date\n"
        "from portal.board.models import SellOfferPage\n"
        f"SellOfferPage.objects.filter(pk={second['pk']}).update(valid_until=date(2000, 1, 1))\n"
    )
    cached.demo.manage("run_board_jobs")
    assert cached.get(second["url"])[0] == 410
    assert f'href="{second["url"]}"' not in cached.get(second["board"])[2]


def test_new_portal_settings_from_another_process_reach_every_kept_page(cached):
    listing = offer(cached, 4)
    warm(cached, ["/", listing["url"]])
    cached.shell(
        "from portal.core.models import PortalSettings\n"
        "row = PortalSettings.objects.get(site__hostname='steel.localhost')\n"
        "row.colour_accent = '#0a0b0c'\n"
        "row.save()\n"
    )
    for path in ("/", listing["url"]):
        assert "#0a0b0c" in cached.get(path)[2], path


def test_a_visitor_with_a_session_is_never_served_or_stored_shared(cached):
    assert cached.get("/", Cookie="sessionid=someone-elses")[1]["x-cache"] == "PASS"
    _, headers, _ = cached.get("/accounts/login/")
    assert headers["x-cache"] == "PASS" and "csrftoken" in headers.get("set-cookie", "")


def test_headers_cookies_and_queries_cannot_poison_the_cache(cached):
    cached.get("/directory/")
    clean = cached.get("/directory/")[2]
    attempts = [
        {"X-Forwarded-Host": "evil.example"},
        {"X-Host": "evil.example"},
        {"X-Original-URL": "/admin/"},
        {"Cookie": "csrftoken=abc; tracking=evil.example"},
    ]
    for headers in attempts:
        status, _, body = cached.get("/directory/?from=evil.example", **headers)
        assert status == 200 and "evil.example" not in body, headers
    assert cached.get("/directory/")[2] == clean
    # A host the app does not serve is refused by it, and not kept for anyone.
    status, headers, body = cached.get("/directory/", host="evil.example")
    assert status == 400 and "evil.example" not in cached.get("/directory/")[2]
    # Another portal's host (the hub) has its own entries.
    status, _, hub = cached.get("/", host="localhost")
    assert status == 200 and hub != cached.get("/")[2]


def test_purges_are_refused_from_outside_loopback(cached):
    cached.get("/news/")
    # Through the visitors' listener, as nginx on this machine would pass them on: refused.
    assert cached.get("/news/", method="PURGE")[0] == 405
    assert cached.get("/", method="BAN", **{"X-Ban-Prefix": "/"})[0] == 405
    request = (
        f"PROXY TCP4 203.0.113.9 127.0.0.1 40000 {cached.proxy_port}\r\n"
        f"BAN / HTTP/1.1\r\nHost: {HOST}\r\nX-Ban-Prefix: /\r\nConnection: close\r\n\r\n"
        f"PURGE /news/ HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", cached.proxy_port), timeout=10) as sock:
        sock.sendall(request.encode())
        answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 405")
    assert cached.get("/news/")[1]["x-cache"] == "HIT"


def test_publishing_works_while_the_cache_is_down(cached):
    listing = offer(cached, 3)
    cached.varnish("stop")
    try:
        cached.shell(
            "from portal.board.models import SellOfferPage\n"
            f"page = SellOfferPage.objects.get(pk={listing['pk']})\n"
            "page.title = 'Published while the cache was down'\n"
            "page.save_revision().publish()\n"
        )
        app = http.client.HTTPConnection("127.0.0.1", cached.demo.port, timeout=60)
        app.request("GET", listing["url"], headers={"Host": f"{HOST}:{cached.port}"})
        response = app.getresponse()
        assert response.status == 200 and "while the cache was down" in response.read().decode()
    finally:
        cached.varnish(
            "start",
            "--listen",
            f"127.0.0.1:{cached.port}",
            "--backend",
            f"127.0.0.1:{cached.demo.port}",
            "--admin",
            f"127.0.0.1:{free_port()}",
            "--purge-listen",
            f"127.0.0.1:{cached.purge_port}",
        )
