"""Benchmark: the public API's list and detail requests, beside pages of the same portal.

Launches ``steel --demo N`` on a fresh SQLite database (or DATABASE_URL), then, in a fresh
process as a server worker would be (the launching one reads SQLite a third slower), prints the
median (p50) and p95 server time and the SQL queries of API requests, uncached, through
Django's test client, beside two baselines measured in the same run (``/robots.txt`` and the
board's index page) and the ratio of each API request to ``/robots.txt``. The goal is a p50 of
20 ms or less for the lists at their default page size (the largest page, 100 items, is shown
beside them).

    .venv/bin/python bench/api.py [--scale 2000] [--requests 50]
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import measure_in_fresh_process, scale_options, start_django, time_page  # noqa: E402

GOAL_MS = 20.0
MEASURE = "BENCH_API_MEASURE"  # set in the fresh process that measures


def main() -> None:
    args = scale_options(__doc__)
    os.environ.setdefault("RATE_LIMIT_API", "1000000/m")  # the benchmark is one busy client
    start_django("guildhall-bench-api-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portal.board.models import TradeListingPage

    if not os.environ.get(MEASURE):
        call_command("migrate", verbosity=0)
        call_command("launch_portal", "steel", demo=args.scale, domain="localhost", verbosity=0)
        print(f"database: {connection.vendor}; steel --demo {args.scale}", flush=True)
    if not measure_in_fresh_process(MEASURE):
        return

    visitor = Client(HTTP_HOST="steel.localhost")
    listing = TradeListingPage.objects.open().first()
    category = listing.category.parent.slug if listing.category.parent_id else listing.category.slug
    baselines = [("/robots.txt (baseline)", "/robots.txt"), ("/board/ (page)", "/board/")]
    requests = [
        ("listings", "/api/v1/listings/"),
        ("listings, 100 a page", "/api/v1/listings/?limit=100"),
        ("listings, filtered", f"/api/v1/listings/?kind=sell&category={category}&sort=newest"),
        ("listings, page 10", "/api/v1/listings/?offset=200"),
        ("companies", "/api/v1/companies/"),
        ("news", "/api/v1/news/"),
        ("events", "/api/v1/events/"),
        ("investments", "/api/v1/investments/"),
        ("prices", "/api/v1/prices/"),
        ("one listing", f"/api/v1/listings/{listing.pk}/"),
    ]
    print(f"{'request':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>6} {'× base':>7}")
    base = None
    slow = []
    for label, path in [*baselines, *requests]:
        timing = time_page(visitor, path, args.requests)
        base = base or timing.median
        print(
            f"{label:32} {timing.median:8.1f} {timing.p95:8.1f} {timing.queries:8d} "
            f"{timing.kilobytes:6.1f} {timing.median / base:7.1f}"
        )
        if (label, path) in requests and "limit=" not in path and timing.median > GOAL_MS:
            slow.append(label)
    print(f"goal: p50 ≤ {GOAL_MS:.0f} ms: {'met' if not slow else 'missed by ' + ', '.join(slow)}")


if __name__ == "__main__":
    main()
