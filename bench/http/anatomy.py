"""Where the time of an uncached page goes: each page type rendered in one process (Django's
test client, the settings and database of the environment, ``PAGE_CACHE=off``), timed with
its SQL, then again under cProfile, its own time summed per package. Run by ``run.py``:

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... python bench/http/anatomy.py HOST PAGE=PATH...
"""

import cProfile
import pstats
import re
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

RENDERS = 10
STDLIB = sysconfig.get_paths()["stdlib"]


def package(filename: str, name: str) -> str:
    """A name for the code a profiler entry's own time was spent in."""
    if filename == "~":  # C functions
        if "psycopg" in name or "poll" in name or "select" in name:
            return "waiting for PostgreSQL (C)"
        return "builtins (C)"
    if "site-packages/" in filename:
        parts = filename.split("site-packages/", 1)[1].split("/")
        if parts[0] == "django" and len(parts) > 2:
            return f"django.{parts[1]}"
        return parts[0].removesuffix(".py")
    if filename.startswith(str(ROOT)):
        parts = Path(filename).relative_to(ROOT).parts
        if "jinja2" in parts:
            return f"templates ({parts[0]}/…/jinja2)"
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    if filename.startswith(STDLIB):
        return "python stdlib"
    return "other"


def shorten(sql: str) -> str:
    """A query without its columns and joins: its first table, its conditions and order."""
    sql = " ".join(sql.split())
    table = re.search(r" FROM (\S+)", sql)
    where = sql.find(" WHERE ")
    rest = sql[where:] if where >= 0 else ""
    return f"FROM {table.group(1) if table else '?'}{rest}"[:260]


def explain(connection, sql: str, params) -> str:
    """PostgreSQL's own account of a query: planning and execution time, joins."""
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    tables = len(re.findall(r"\bJOIN\b", sql)) + 1
    return (
        f"PostgreSQL: planning {plan['Planning Time']:.1f} ms, execution "
        f"{plan['Execution Time']:.1f} ms, {plan['Plan']['Actual Rows']} rows, {tables} tables"
    )


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    host, pages = sys.argv[1], [arg.split("=", 1) for arg in sys.argv[2:]]
    client = Client(HTTP_HOST=host)
    print(
        f"Where an uncached page's time goes (one process, no concurrency; {RENDERS} renders "
        "each after a first; own time per package under cProfile, which inflates Python's part):"
    )
    print(f"{'page':8} {'first ms':>8} {'ms':>6} {'queries':>7} {'SQL ms':>6}  top packages")
    for page, path in pages:
        queries = {"count": 0, "seconds": 0.0}
        slowest: Counter = Counter()
        samples: dict[str, tuple] = {}

        def timed(
            execute, sql, params, many, context, queries=queries, slowest=slowest, samples=samples
        ):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = time.perf_counter() - started
                queries["seconds"] += spent
                queries["count"] += 1
                slowest[shorten(sql)] += spent
                samples.setdefault(shorten(sql), (sql, params))

        started = time.perf_counter()
        response = client.get(path)
        first = time.perf_counter() - started
        if response.status_code != 200:
            print(f"{page:8} answered {response.status_code}")
            continue
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            for _ in range(RENDERS):
                client.get(path)
            seconds = time.perf_counter() - started
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(RENDERS):
            client.get(path)
        profile.disable()
        own: Counter = Counter()
        for (filename, _, name), entry in pstats.Stats(profile).stats.items():
            own[package(filename, name)] += entry[2]

        total = sum(own.values())
        top = ", ".join(f"{name} {t / total:.0%}" for name, t in own.most_common(6))
        print(
            f"{page:8} {first * 1000:8.0f} {seconds / RENDERS * 1000:6.1f} "
            f"{queries['count'] / RENDERS:7.0f} {queries['seconds'] / RENDERS * 1000:6.1f}  {top}"
        )
        for short, spent in slowest.most_common(2):
            print(f"{'':8} {spent / RENDERS * 1000:6.1f} ms per render in: {short}")
            print(f"{'':8} {'':6}    {explain(connection, *samples[short])}")


if __name__ == "__main__":
    main()
