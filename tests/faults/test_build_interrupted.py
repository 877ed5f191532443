"""A static build killed half way, or out of disk space: visitors keep the previous copy,
whole, and the next build completes as if nothing had happened.

The build runs as its own process (``manage.py build_static``) on a database of its own, as
cron or ``--every`` runs it, so it can be SIGKILLed; the disk is a small tmpfs.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..support import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
HOST = "steel.localhost"
pytestmark = pytest.mark.slow


class Install:
    def __init__(self, folder: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "PAGE_CACHE": "off",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "manage.py", *args]

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if check and result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {result.stderr[-2000:]}")
        return result

    def build(self, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.manage(
            "build_static", "steel", "--out", str(out), "--jobs", "1", *extra, check=check
        )

    def retitle_listings(self, prefix: str) -> None:
        self.manage(
            "shell",
            "-c",
            (
                "from portal.board.models import TradeListingPage as T\n"
                "for page in T.objects.live().filter(T.current()).specific()[:5]:\n"
                f"    page.title = '{prefix} ' + page.title\n"
                "    page.save_revision().publish()\n"
            ),
        )


def pages(files: dict[str, str]) -> set[str]:
    """The copy's files but its search index, whose names change with the content."""
    return {path for path in files if not path.startswith("pagefind/")}


def snapshot(out: Path) -> dict[str, str]:
    """What visitors are served: every file of the copy the site link points to, by digest."""
    served = (out / HOST).resolve()
    return {
        str(path.relative_to(served)): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in served.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def install(request, tmp_path_factory) -> Install:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the build runs on a SQLite install of its own: once, in the SQLite pass")
    folder = tmp_path_factory.mktemp("install")
    copy_sqlite(request.getfixturevalue("migrated_sqlite"), folder / "db.sqlite3")
    install = Install(folder)
    install.manage("launch_portal", "steel", "--domain", "localhost", "--demo", "20", "-v0")
    return install


def test_a_build_killed_half_way_leaves_the_served_copy_whole(install, tmp_path):
    install.build(tmp_path)
    before = snapshot(tmp_path)
    install.retitle_listings("Killed")

    started = time.time()
    build = subprocess.Popen(
        install.command("build_static", "steel", "--out", str(tmp_path), "--jobs", "1", "--full"),
        cwd=ROOT,
        env=install.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    spare = tmp_path / ".builds" / HOST / "b"
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        # Kill once the build has rendered some pages into the folder it will switch to.
        written = [p for p in spare.rglob("index.html") if p.stat().st_mtime > started]
        if len(written) >= 10:
            build.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    assert build.wait() == -signal.SIGKILL, "the build ended before it could be killed"

    assert snapshot(tmp_path) == before
    install.build(tmp_path)
    after = snapshot(tmp_path)
    assert pages(after) == pages(before)
    listing_pages = [(tmp_path / HOST / path).read_text() for path in after if "board/" in path]
    assert sum("Killed " in html for html in listing_pages) >= 5


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk: Path, leave_bytes: int) -> Path:
    """Take all the free space of ``disk`` but ``leave_bytes``."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    size = stats.f_bavail * stats.f_frsize - leave_bytes
    with open(filler, "wb") as handle:
        handle.truncate(0)
        chunk = b"\0" * (1 << 20)
        while size > 0:
            handle.write(chunk[: min(size, len(chunk))])
            size -= len(chunk)
    return filler


def test_a_full_disk_fails_the_build_with_one_line_and_keeps_the_served_copy(install, small_disk):
    install.build(small_disk)
    before = snapshot(small_disk)
    install.retitle_listings("Spaceless")
    filler = fill(small_disk, leave_bytes=256 * 1024)

    failed = install.build(small_disk, "--full", check=False)
    assert failed.returncode != 0
    message = failed.stderr.strip().splitlines()[-1]
    assert "No space left on device" in message and "previous build is still in place" in message
    assert "Traceback" not in failed.stderr
    assert snapshot(small_disk) == before

    filler.unlink()  # space again: the next build completes
    install.build(small_disk)
    assert pages(snapshot(small_disk)) == pages(before)
    assert "Spaceless" in (small_disk / HOST / "board" / "index.html").read_text()
