"""Benchmark: search indexing speed and faceted query latency, per engine and portal size.

For each scale, launches the steel portal with that many demo listings on a fresh database
(SQLite by default, or DATABASE_URL), then for the database engine and every engine URL given:
bulk indexing speed (documents/s, the engine part of a full ``rebuild``), the p50/p95 of a set
of faceted queries (engine time), and the p50 server time of the search page (Django, full
middleware). Beside each figure, a floor measured in the same run, and the ratio to it:

- indexing: the same documents, built beforehand, bulk-sent to a throwaway index of the same
  definition (what the engine itself can take);
- queries: the engine's own ``match_all`` size-0 query on the portal's index (the database
  engine: a count of the portal's documents);
- the search page: the engine time of the same searches (what the page adds on top).

    .venv/bin/python bench/search.py --scale 10000 --scale 100000 \\
        --engine http://127.0.0.1:9200 --engine http://127.0.0.1:9201

``--keep DIR`` keeps each scale's database (and media) in DIR and reuses it when it is there,
which skips the launch (minutes at 100,000 listings).
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

from bench.setup import use_folder  # noqa: E402

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


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="listings (repeatable)")
    parser.add_argument("--engine", action="append", default=[], help="engine URL (repeatable)")
    parser.add_argument("--requests", type=int, default=20, help="runs per query")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) each scale's database")
    parser.add_argument(
        "--no-database", action="store_true", help="skip the database engine's queries"
    )
    args = parser.parse_args()
    scales = args.scale or [10_000]

    if len(scales) > 1:  # one process, and one fresh database, per scale
        for scale in scales:
            command = [sys.executable, __file__, "--scale", str(scale)]
            command += ["--requests", str(args.requests)]
            for url in args.engine:
                command += ["--engine", url]
            if args.keep:
                command += ["--keep", args.keep]
            if args.no_database:
                command.append("--no-database")
            subprocess.run(command, check=True)
        return
    scale = scales[0]

    if args.keep:
        workdir = Path(args.keep) / f"search-{scale}"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="guildhall-search-bench-"))
    use_folder(workdir)
    os.environ["RATE_LIMIT_SEARCH"] = "1000000/s"  # measure the page, not the rate limit

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from wagtail.models import Site

    from portal.core.models import PortalHomePage
    from search.configured import engine_for
    from search.models import SearchDocument
    from search.params import parse_query

    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}", flush=True)
    call_command("migrate", verbosity=0)
    home = PortalHomePage.objects.filter(industry_slug="steel").first()
    if home is None:
        started = time.perf_counter()
        call_command("launch_portal", "steel", demo=scale, domain="localhost", verbosity=0)
        launched = f"launch with demo content {time.perf_counter() - started:.0f} s"
        home = PortalHomePage.objects.get(industry_slug="steel")
    else:
        launched = f"reusing {workdir}"
    site = Site.objects.get(root_page=home)
    docs = SearchDocument.objects.filter(portal="steel").count()
    print(f"\n{scale:,} listings: {launched}; {docs:,} search documents", flush=True)

    try:  # the engine's document source, as ``search_index rebuild`` reads it
        from search.indexing import engine_documents

        def source():
            return engine_documents("steel")
    except ImportError:  # the code before it existed

        def source():
            documents = SearchDocument.objects.filter(portal="steel").order_by("pk")
            return documents.prefetch_related("categories").iterator(chunk_size=500)

    rows = []
    for url in ([] if args.no_database else [""]) + args.engine:
        engine = engine_for(url, "bench")
        index_rate = index_floor = ""
        if url:
            index_floor, index_rate = indexing(engine, source)
            floor = engine_floor(engine, args.requests)
        else:

            def count():
                return SearchDocument.objects.filter(portal="steel").count()

            floor = timed(count, args.requests)
        times = []
        for params in QUERIES:
            query = parse_query(QueryDict(params), ["steel"], site)
            if params == QUERIES[0] and url:  # the first search after the rebuild counts too
                times += timed(lambda q=query, e=engine: e.search(q), 1)
            engine.search(query)
            times += timed(lambda q=query, e=engine: e.search(q), args.requests)
        settings.SEARCH_URL, settings.SEARCH_INDEX_PREFIX = url, "bench"
        client = Client(HTTP_HOST="steel.localhost")
        page_times = []
        for params in QUERIES:
            response = client.get(f"/search/?{params}")
            assert response.status_code == 200, (params, response.status_code)
            page_times += timed(
                lambda p=params, c=client: c.get(f"/search/?{p}"), max(3, args.requests // 4)
            )
        rows.append(
            (
                engine.name if url else "database",
                index_rate,
                index_floor,
                statistics.median(times),
                percentile(times, 0.95),
                statistics.median(floor),
                statistics.median(page_times),
            )
        )
    print(
        f"{'engine':14} {'index docs/s':>12} {'floor':>7} {'ratio':>6}"
        f" {'query p50':>9} {'p95':>6} {'floor':>6} {'p95/floor':>9}"
        f" {'page p50':>8} {'/query p50':>10}"
    )
    for name, rate, rate_floor, p50, p95, floor, page in rows:
        ratio = f"{rate / rate_floor:6.2f}" if rate else ""
        print(
            f"{name:14} {f'{rate:,.0f}' if rate else '':>12} "
            f"{f'{rate_floor:,.0f}' if rate_floor else '':>7} {ratio:>6}"
            f" {p50:9.1f} {p95:6.1f} {floor:6.1f} {p95 / floor:9.1f}"
            f" {page:8.1f} {page / p50:10.2f}",
            flush=True,
        )


def indexing(engine, source) -> tuple[float, float]:
    """(floor, rate) in documents/s: prebuilt documents into a throwaway index, then the
    engine's ``rebuild`` from the database."""
    from search.engines.mappings import index_definition, to_source

    built = [to_source(doc) for doc in source()]
    transport = engine.transport
    name = f"{engine.alias('steel')}-floor"
    transport.delete_index(name)
    transport.create_index(name, index_definition(name))
    actions = ({"_index": name, "_id": doc["page_id"], "_source": doc} for doc in built)
    started = time.perf_counter()
    bulk = getattr(transport, "parallel_bulk", None)
    if bulk is not None:  # the same way the rebuild sends them
        bulk(actions)
    else:
        transport.bulk(actions)
    transport.refresh(name)
    floor = len(built) / (time.perf_counter() - started)
    transport.delete_index(name)
    del built
    started = time.perf_counter()
    count = engine.rebuild("steel", source(), lambda n: None)
    return floor, count / (time.perf_counter() - started)


def engine_floor(engine, repeat: int) -> list[float]:
    """The engine's own cheapest search on the portal's index: ``match_all``, size 0."""
    alias = engine.alias("steel")
    body = {"size": 0, "query": {"match_all": {}}}
    engine.transport.search(alias, body)
    return timed(lambda: engine.transport.search(alias, body), repeat)


if __name__ == "__main__":
    main()
