"""Benchmark: a member's import of a listings file (``--rows``, default 1,000), goal ≤ 10 s.

Launches the steel portal (demo content) on a fresh database, makes a member, writes a CSV of
``--rows`` valid sell offers and buy requests in the template's columns, and prints:

- the baseline, measured in the same run: reading and checking the file (every row through
  the posting form's rules and the duplicate check) without saving anything;
- the whole import: reading, checking and submitting every listing into moderation in one
  transaction (as the upload page does), with its ratio to the baseline and the goal;
- the queries of the import and the listings it added.

    .venv/bin/python bench/imports.py [--rows 1000] [--profile]
"""

import argparse
import cProfile
import csv
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import start_django  # noqa: E402

GOAL_SECONDS = 10.0


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="listings in the file")
    parser.add_argument("--profile", action="store_true", help="print the import's hot spots")
    return parser.parse_args()


def listings_file(site, rows: int):
    """A CSV upload of ``rows`` distinct valid listings, half offers and half requests."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.models import Category, PortalSettings, Region
    from portal.transfers.columns import listing_columns

    settings = PortalSettings.for_site(site)
    categories = list(Category.objects.for_site(site).active().filter(children__isnull=True)[:20])
    regions = list(Region.objects.filter(site=site, is_active=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=listing_columns())
    writer.writeheader()
    for number in range(rows):
        sell = number % 2 == 0
        writer.writerow(
            {
                "kind": "sell" if sell else "buy",
                "title": f"Bench listing {number}",
                "category": categories[number % len(categories)].slug,
                "region": regions[number % len(regions)].code,
                "description": f"Bench listing number {number}, loaded from a file.",
                "quantity": str(100 + number),
                "unit": settings.units[0]["code"],
                "price_min": str(500 + number % 300) if sell else "",
                "currency": settings.currencies[0] if sell else "",
                "incoterm": "FOB",
                "moq": "10" if sell else "",
                "specification": "Grade A" if sell else "",
            }
        )
    return lambda: SimpleUploadedFile("bench.csv", out.getvalue().encode())


def main() -> None:
    args = options()
    start_django("guildhall-bench-imports-")
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from portal.board.models import BoardIndexPage, TradeListingPage
    from portal.core.models import PortalHomePage, PortalSettings
    from portal.directory.models import CompanyPage
    from portal.members.models import Membership
    from portal.transfers.importing import import_listings
    from portal.transfers.reading import read_upload
    from portal.transfers.validation import check_table

    call_command("migrate", verbosity=0)
    call_command("launch_portal", "steel", demo=200, domain="localhost", verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="steel")
    site = home.get_site()
    portal = PortalSettings.for_site(site)
    board = BoardIndexPage.objects.child_of(home).get()
    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-pass")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    company = CompanyPage.objects.live().descendant_of(home).first()
    member = Membership.objects.create(user=user, site=site, company=company)
    new_file = listings_file(site, args.rows)

    def check():
        table = read_upload(new_file(), settings.TRANSFERS_MAX_BYTES, max(args.rows, 1))
        checked = check_table(table, portal, member)
        assert not checked.errors, checked.errors[:5]
        return checked

    def run_import() -> int:
        checked = check()
        return import_listings([page for _, page in checked.listings], board, member)

    baseline_wall, baseline_cpu, _ = min((cpu_timed(check) for _ in range(3)), key=lambda t: t[1])
    before = TradeListingPage.objects.descendant_of(home).count()
    profiler = cProfile.Profile() if args.profile else None
    queries = QueryCount()
    with connection.execute_wrapper(queries):
        if profiler:
            profiler.enable()
        seconds, cpu, added = cpu_timed(run_import)
        if profiler:
            profiler.disable()
    after = TradeListingPage.objects.descendant_of(home).count()
    assert after - before == added == args.rows

    print(
        f"database: {connection.vendor}; board of {before:,} listings; file of {args.rows:,} rows"
    )
    print(f"{'':44} {'wall s':>8} {'cpu s':>8} {'× baseline':>11}")
    for label, wall, used, base in (
        ("baseline: read and check the file, no saving", baseline_wall, baseline_cpu, 1.0),
        ("import: read, check, submit to moderation", seconds, cpu, cpu / baseline_cpu),
    ):
        print(f"{label:44} {wall:8.2f} {used:8.2f} {base:11.1f}")
    per_thousand = seconds * 1000 / args.rows
    print(
        f"\nper row: {seconds / args.rows * 1000:.1f} ms, {queries.count / args.rows:.1f} queries; "
        f"1,000 rows take {per_thousand:.1f} s (goal ≤ {GOAL_SECONDS:.0f} s: "
        f"{'met' if per_thousand <= GOAL_SECONDS else 'missed'})"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


class QueryCount:
    """Counts the queries run while it wraps the connection."""

    count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(function) -> tuple[float, object]:
    """Seconds of ``function`` (wall clock) and what it returned."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def cpu_timed(function) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of ``function`` (on a busy machine the CPU time is the
    steadier figure: SQLite works in the process), and what it returned."""
    cpu = time.process_time()
    wall, result = timed(function)
    return wall, time.process_time() - cpu, result


if __name__ == "__main__":
    main()
