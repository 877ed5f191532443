"""What the in-process benchmarks share: their options and a Django on a fresh database."""

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def scale_options(doc: str) -> argparse.Namespace:
    """``--scale`` (demo listings) and ``--requests`` (per page), described by ``doc``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000, help="demo listings (default 2000)")
    parser.add_argument("--requests", type=int, default=50, help="requests per page (default 50)")
    return parser.parse_args()


def use_folder(workdir: Path) -> None:
    """The test settings on the SQLite database and the uploads of ``workdir``, unless the
    environment names others; the uploads are kept, so a second process (or a later run on
    the same database) finds them."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.setdefault("TEST_MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))


def start_django(prefix: str) -> Path:
    """Set Django up on a new SQLite database in a new folder (or on ``DATABASE_URL``), with
    the test settings; returns the folder."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    use_folder(workdir)
    import django

    django.setup()
    return workdir


def measure_in_fresh_process(flag: str) -> bool:
    """Whether this is the fresh process that measures. If not, runs this script again with
    ``flag`` set in its environment and the same database, and returns False: a process that
    has just launched a portal reads SQLite about a third slower than a server worker does,
    so page timings come from a process that only serves."""
    import subprocess
    import sys

    if os.environ.get(flag):
        return True
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    connection.close()
    again = [sys.executable, sys.argv[0], *sys.argv[1:]]
    subprocess.run(again, env={**os.environ, flag: "1", "DATABASE_URL": url}, check=True)
    return False


@dataclass(frozen=True)
class PageTiming:
    median: float  # ms
    p95: float  # ms
    queries: int
    kilobytes: float
    cpu: float  # median ms of CPU: steadier than wall time on a shared machine


def time_page(client, path: str, requests: int, status: int = 200) -> PageTiming:
    """Server time of ``path`` over ``requests`` requests, after one to warm the caches
    (templates, site root paths), and the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return PageTiming(
        statistics.median(times),
        statistics.quantiles(times, n=20)[-1],
        len(queries),
        len(response.content) / 1024,
        statistics.median(cpu),
    )
