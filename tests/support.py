"""Helpers tests share: a free port for a server of their own, the demo stack served by a
real server, an email backend that always fails (a mail outage must lose nothing), a
static build, and migrated SQLite databases for the installs tests run of their own."""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[1]


def migrate_sqlite(path: Path) -> None:
    """Migrate a new SQLite database at ``path`` as ``manage.py migrate`` does on an install."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{path}",
        "MEDIA_ROOT": str(path.parent / "media"),
        "VAR_DIR": str(path.parent / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py migrate failed:\n{result.stderr}")


def copy_sqlite(source: Path, target: Path) -> Path:
    """A copy of the SQLite database ``source`` at ``target`` (whole, whatever its journal)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
    return target


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


@dataclass
class LiveDemo:
    """A portal launched like ``make demo`` (smaller) on its own SQLite database, served by
    ``manage.py runserver`` on ``port``; emails are written to files in ``mail_dir``."""

    port: int
    mail_dir: Path
    env: dict
    domain_port: int

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
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)]


@contextmanager
def live_demo_server(
    workdir: Path,
    migrated: Path,
    scale: int = 60,
    env: dict | None = None,
    domain_port: int | None = None,
) -> Iterator[LiveDemo]:
    """Launch the steel portal with demo content in ``workdir``, on a copy of the ``migrated``
    SQLite database, and serve it until the end of the block. Its URLs name ``domain_port``
    (a cache in front) or the server's own port."""
    port = free_port()
    domain_port = domain_port or port
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "VAR_DIR": str(workdir / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "FORM_MIN_FILL_SECONDS": "0",
        "WAGTAILADMIN_BASE_URL": f"http://localhost:{domain_port}",
        **(env or {}),
    }
    demo = LiveDemo(port, workdir / "mail", environment, domain_port)
    copy_sqlite(migrated, workdir / "db.sqlite3")
    demo.manage(
        "launch_portal", "steel", "--domain", f"localhost:{domain_port}", "--demo", str(scale)
    )
    demo.manage("demo_users")
    demo.manage("run_board_jobs")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
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


STATIC_BASE = "https://steel.example.org"  # where the steel portal's static copy is served
STATIC_LIVE = "https://live.steel.example.org"  # the live site its forms post to


def build_static(out: Path, *slugs: str, **options) -> None:
    """``build_static`` of ``slugs`` (steel by default) into ``out``, in one process, at the
    steel portal's addresses unless ``base_url`` and ``live_url`` say otherwise."""
    from django.core.management import call_command

    options = {
        "base_url": STATIC_BASE,
        "live_url": STATIC_LIVE,
        "jobs": 1,
        "verbosity": 0,
        **options,
    }
    call_command("build_static", *(slugs or ("steel",)), out=str(out), **options)


def without_quotas(membership) -> None:
    """Put the member's company on a plan without limits for a year, for tests that post more
    than a free plan allows (batches, imports at the row limit)."""
    from datetime import date, timedelta

    from portal.plans.models import Plan, Subscription

    plan, _ = Plan.objects.update_or_create(
        site=membership.site,
        key="unlimited-for-tests",
        defaults={"name": "Unlimited", "price": 0, "currency": "EUR", "period_months": 12},
    )
    Subscription.objects.create(
        site=membership.site,
        company=membership.company,
        plan=plan,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=365),
        payment_reference="tests",
    )


SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_text(get: Callable[[str], str]) -> str:
    """The portal's whole sitemap: its index (``/sitemap.xml``) and every file it lists, as
    ``get`` (a URL path → the body) answers them."""
    index = get("/sitemap.xml")
    assert "<sitemapindex" in index, index[:200]
    files = [urlsplit(location).path for location in SITEMAP_LOC.findall(index)]
    return index + "".join(get(path) for path in files)


def live_sitemap(client, hostname: str) -> str:
    """``sitemap_text`` of the live portal at ``hostname`` through the test ``client``."""

    def get(path: str) -> str:
        response = client.get(path, HTTP_HOST=hostname)
        assert response.status_code == 200, path
        return response.content.decode()

    return sitemap_text(get)


def static_sitemap(folder: Path) -> str:
    """``sitemap_text`` of the static copy in ``folder``."""
    return sitemap_text(lambda path: (folder / path.lstrip("/")).read_text())
