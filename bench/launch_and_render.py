"""Benchmark: launching a portal with demo content, and rendering its pages.

Prints the time of ``launch_portal steel --demo N`` on a fresh SQLite database (or the database
in DATABASE_URL), then the median server time and SQL query count of a listing page (a sell
offer), the board index, a filtered board page and the portal home page.

    .venv/bin/python bench/launch_and_render.py [--scale 2000] [--requests 50]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000, help="demo listings (default 2000)")
    parser.add_argument("--requests", type=int, default=50, help="requests per page (default 50)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="guildhall-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.board.models import BoardIndexPage, SellOfferPage

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("launch_portal", "steel", demo=args.scale, domain="localhost", verbosity=0)
    launch_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(f"launch_portal steel --demo {args.scale}: {launch_seconds:.1f} s")

    board = BoardIndexPage.objects.get(url_path="/steel/board/")
    offer = SellOfferPage.objects.live().child_of(board).first()
    category = offer.category.parent.slug
    pages = {
        "listing page (sell offer)": offer.url_path.removeprefix("/steel"),
        "index page (/board/)": "/board/",
        "filtered index (/board/category/…/page/2/)": f"/board/category/{category}/page/2/",
        "portal home page": "/",
    }
    client = Client(HTTP_HOST="steel.localhost")
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for label, path in pages.items():
        response = client.get(path)  # warm caches (templates, site root paths)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{label:45} {statistics.median(times):10.1f} {p95:8.1f} "
            f"{len(queries):8d} {len(response.content) / 1024:6.1f}"
        )


if __name__ == "__main__":
    main()
