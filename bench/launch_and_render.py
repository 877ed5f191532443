"""Benchmark: launching a portal with demo content, and rendering its pages.

Prints the time of ``launch_portal steel --demo N`` on a fresh SQLite database (or the database
in DATABASE_URL) and of the expiry job; then, in a fresh process as a server worker would be
(the launching one reads SQLite about a third slower), the median server time, CPU time and
SQL query count of a listing page (a sell offer, a buy request), the board index, a filtered
board page, the portal home page, an expired listing's 410 page and a member's dashboard,
beside ``/robots.txt`` measured in the same run as the baseline, and each page's ratio to it.

    .venv/bin/python bench/launch_and_render.py [--scale 2000] [--requests 50]
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import measure_in_fresh_process, scale_options, start_django, time_page  # noqa: E402

MEASURE = "BENCH_PAGES_MEASURE"  # set in the fresh process that measures pages


def main() -> None:
    args = scale_options(__doc__)
    start_django("guildhall-bench-")
    if not os.environ.get(MEASURE):
        launch_and_expire(args.scale)
    if measure_in_fresh_process(MEASURE):
        render_pages(args.requests)


def launch_and_expire(scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from portal.board.models import TradeListingPage

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("launch_portal", "steel", demo=scale, domain="localhost", verbosity=0)
    launch_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(f"launch_portal steel --demo {scale}: {launch_seconds:.1f} s")

    call_command("demo_users", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.perf_counter()
    call_command("run_board_jobs", verbosity=0)
    print(f"run_board_jobs (first run): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    call_command("run_board_jobs", verbosity=0)
    print(f"run_board_jobs (nothing due): {time.perf_counter() - started:.2f} s")
    due = list(
        TradeListingPage.objects.live().order_by("pk").values_list("pk", flat=True)[: scale // 10]
    )
    TradeListingPage.objects.filter(pk__in=due).update(valid_until=date.today() - timedelta(days=1))
    started = time.perf_counter()
    call_command("run_board_jobs", verbosity=0)
    seconds = time.perf_counter() - started
    print(
        f"run_board_jobs ({len(due)} due): {seconds:.2f} s, {len(due) / seconds:.0f} listings/s",
        flush=True,
    )


def render_pages(requests: int) -> None:
    from django.test import Client

    from portal.board.models import BoardIndexPage, BuyRequestPage, SellOfferPage, TradeListingPage

    board = BoardIndexPage.objects.get(url_path="/steel/board/")
    offer = SellOfferPage.objects.live().child_of(board).first()
    request = BuyRequestPage.objects.live().child_of(board).first()
    gone = TradeListingPage.objects.child_of(board).filter(live=False, expired=True).first()
    category = offer.category.parent.slug
    visitor = Client(HTTP_HOST="steel.localhost")
    member = Client(HTTP_HOST="steel.localhost")
    member.post(
        "/accounts/login/", {"login": "supplier@steel.example", "password": "guildhall-demo"}
    )
    pages = [
        ("/robots.txt (baseline)", visitor, "/robots.txt", 200),
        ("listing page (sell offer)", visitor, offer.url_path.removeprefix("/steel"), 200),
        ("listing page (buy request)", visitor, request.url_path.removeprefix("/steel"), 200),
        ("index page (/board/)", visitor, "/board/", 200),
        (
            "filtered index (/board/category/…/page/2/)",
            visitor,
            f"/board/category/{category}/page/2/",
            200,
        ),
        ("portal home page", visitor, "/", 200),
        ("expired listing (410)", visitor, gone.url_path.removeprefix("/steel"), 410),
        ("member dashboard", member, "/members/", 200),
    ]
    print(
        f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8} {'KB':>6} "
        f"{'× base':>7} {'CPU × base':>10}"
    )
    base = None
    for label, client, path, status in pages:
        page = time_page(client, path, requests, status)
        base = base or page
        print(
            f"{label:45} {page.median:10.1f} {page.p95:8.1f} {page.cpu:7.1f} "
            f"{page.queries:8d} {page.kilobytes:6.1f} {page.median / base.median:7.1f} "
            f"{page.cpu / base.cpu:10.1f}"
        )


if __name__ == "__main__":
    main()
