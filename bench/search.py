"""Benchmark: search indexing speed and faceted query latency, per engine and portal size.

For each scale, launches the steel portal with that many demo listings on a fresh database
(SQLite by default, or DATABASE_URL), then for the database engine and every engine URL given:
bulk indexing speed (documents/s, a full ``rebuild``), the p50/p95 of a set of faceted queries
(engine time), and the p50 server time of the search page (Django, full middleware).

    .venv/bin/python bench/search.py --scale 10000 --scale 100000 \\
        --engine http://127.0.0.1:9200 --engine http://127.0.0.1:9201
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "",
    "q=steel",
    "q=rebar&kind=sell",
    "q=coil&type=listing&sort=price_asc",
    "category=long-products&region=west-europe",
    "q=pipe&price=500-1000&posted=30d",
    "q=stainless+plate&sort=newest&page=3",
]


def percentile(values: list[float], fraction: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="listings (repeatable)")
    parser.add_argument("--engine", action="append", default=[], help="engine URL (repeatable)")
    parser.add_argument("--requests", type=int, default=20, help="runs per query")
    args = parser.parse_args()
    scales = args.scale or [10_000]

    if len(scales) > 1:  # one process, and one fresh database, per scale
        for scale in scales:
            command = [
                sys.executable,
                __file__,
                "--scale",
                str(scale),
                "--requests",
                str(args.requests),
            ]
            for url in args.engine:
                command += ["--engine", url]
            subprocess.run(command, check=True)
        return

    workdir = Path(tempfile.mkdtemp(prefix="guildhall-search-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["RATE_LIMIT_SEARCH"] = "1000000/s"  # measure the page, not the rate limit

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from search.configured import engine_for
    from search.models import SearchDocument
    from search.params import parse_query

    print(f"database: {connection.vendor}", flush=True)
    for scale in scales:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("launch_portal", "steel", demo=scale, domain="localhost", verbosity=0)
        docs = SearchDocument.objects.filter(portal="steel").count()
        print(
            f"\n{scale:,} listings: launch with demo content"
            f" {time.perf_counter() - started:.0f} s; {docs:,} search documents"
        )
        print(
            f"{'engine':14} {'index docs/s':>12} {'query p50 ms':>13} {'p95 ms':>8}"
            f" {'page p50 ms':>12}"
        )
        for url in ["", *args.engine]:
            engine = engine_for(url, "bench")
            rate = ""
            if url:
                started = time.perf_counter()
                count = engine.rebuild(
                    "steel",
                    SearchDocument.objects.filter(portal="steel").iterator(2000),
                    lambda n: None,
                )
                rate = f"{count / (time.perf_counter() - started):,.0f}"
            times = []
            for params in QUERIES:
                query = parse_query(QueryDict(params), ["steel"], None)
                engine.search(query)  # warm up
                for _ in range(args.requests):
                    started = time.perf_counter()
                    engine.search(query)
                    times.append((time.perf_counter() - started) * 1000)
            settings.SEARCH_URL, settings.SEARCH_INDEX_PREFIX = url, "bench"
            client = Client(HTTP_HOST="steel.localhost")
            page_times = []
            for params in QUERIES:
                response = client.get(f"/search/?{params}")
                assert response.status_code == 200, (params, response.status_code)
                for _ in range(max(3, args.requests // 4)):
                    started = time.perf_counter()
                    client.get(f"/search/?{params}")
                    page_times.append((time.perf_counter() - started) * 1000)
            name = engine.name if url else "database"
            print(
                f"{name:14} {rate:>12} {statistics.median(times):13.1f} "
                f"{percentile(times, 0.95):8.1f} {statistics.median(page_times):12.1f}"
            )


if __name__ == "__main__":
    main()
