"""PostgreSQL restarted under a running server: it answers 503 while the database is away and
recovers by itself, without a restart of its own.

A PostgreSQL cluster of the test's own (Debian's pg_createcluster, on a free port) so the
suite's database stays up, and gunicorn with two workers keeping their connections.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from ..support import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def postgres_version() -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    return versions[-1].parts[-3] if versions else ""


def run(*command: str, env: dict | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr[-2000:]}")
    return result.stdout


class Cluster:
    def __init__(self) -> None:
        self.version, self.name, self.port = (
            postgres_version(),
            f"faults{uuid.uuid4().hex[:6]}",
            free_port(),
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/guildhall"

    def create(self) -> None:
        run(
            "pg_createcluster",
            self.version,
            self.name,
            "--port",
            str(self.port),
            "--start",
            "--",
            "--auth-host=trust",
            "--auth-local=trust",
        )
        run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE guildhall",
        )

    def ctl(self, action: str) -> None:
        run(
            "pg_ctlcluster",
            self.version,
            self.name,
            action,
            *(["-m", "fast"] if action != "start" else []),
        )

    def drop(self) -> None:
        subprocess.run(["pg_dropcluster", "--stop", self.version, self.name], capture_output=True)


def get(port: int, path: str = "/") -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "steel.localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass")
    if not (postgres_version() and shutil.which("pg_createcluster") and os.geteuid() == 0):
        pytest.skip("needs Debian's PostgreSQL tools, run as root (as make test does)")
    cluster = Cluster()
    cluster.create()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": cluster.url,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    server = None
    try:
        run(sys.executable, "manage.py", "migrate", "--noinput", "-v0", env=env)
        run(
            sys.executable,
            "manage.py",
            "launch_portal",
            "steel",
            "--domain",
            "localhost",
            "-v0",
            env=env,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while get_or_none(port) != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield port, cluster
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        cluster.drop()


def get_or_none(port: int) -> int | None:
    try:
        return get(port)
    except OSError:
        return None


def test_the_site_recovers_from_a_database_restart_by_itself(server):
    port, cluster = server
    assert [get(port) for _ in range(8)] == [200] * 8  # both workers hold a connection now

    cluster.ctl("stop")
    assert {get(port) for _ in range(4)} == {503}  # briefly unavailable, and saying so
    cluster.ctl("start")

    # The same processes, every request served: kept connections are checked and reopened.
    assert [get(port) for _ in range(12)] == [200] * 12
    assert get(port, "/board/") == 200


def test_a_restart_between_requests_costs_no_request(server):
    port, cluster = server
    assert [get(port) for _ in range(4)] == [200] * 4
    cluster.ctl("restart")
    assert [get(port) for _ in range(12)] == [200] * 12
