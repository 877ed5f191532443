"""Benchmark: ``assess_prices`` over a large board, and a price series page uncached.

Launches the steel portal (demo content) on a fresh database, adds ``--listings`` more
offers and requests over the past year in the categories its series track (a third of them
on each series' basis) and ``--quotes`` quotes on buy requests, then prints:

- ``assess_prices`` for every series over the whole year (first run, and a second run that
  finds nothing to change), beside a baseline measured in the same run: reading the same
  rows once from the database (``values_list`` of every board listing and quote);
- the median and p95 server time and the query count of the price pages, uncached, beside
  the methodology page (the cheapest page with the portal's layout) as a baseline, and
  ``/robots.txt`` (the stack alone).

    .venv/bin/python bench/prices.py [--listings 80000] [--quotes 20000] [--requests 50]
"""

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import start_django, time_page  # noqa: E402


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=80_000)
    parser.add_argument("--quotes", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
    return parser.parse_args()


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def add_board(home, listings: int, quotes: int) -> None:
    """Offers and requests over the past year, and quotes from many members."""
    from django.contrib.auth import get_user_model
    from tqdm import tqdm

    from portal.board.models import BoardIndexPage, BuyRequestPage, Quote, SellOfferPage
    from portal.core.bulk import bulk_add_children
    from portal.core.models import Category, Region
    from portal.directory.models import CompanyPage
    from portal.members.models import Membership
    from portal.prices.models import PriceSeriesPage

    rng = random.Random("bench-prices")
    board = BoardIndexPage.objects.child_of(home).get()
    site = home.get_site()
    series = list(PriceSeriesPage.objects.descendant_of(home).select_related("category"))
    categories = {s.category_id: s.category for s in series}
    for category in Category.objects.filter(parent_id__in=list(categories)):
        categories[category.pk] = category
    regions = list(Region.objects.filter(site=site))
    companies = list(CompanyPage.objects.live().descendant_of(home))
    today = date.today()
    pages, dates = [], []
    for number in range(listings):
        basis = rng.choice(series)
        on_basis = rng.random() < 0.33
        published = datetime.combine(
            today - timedelta(days=rng.randint(0, 365)), datetime.min.time(), UTC
        )
        model = SellOfferPage if rng.random() < 0.55 else BuyRequestPage
        page = model(
            title=f"Bench {basis.category.name} {number}",
            slug=f"bench-{number}",
            description="Bench listing.",
            category=basis.category if on_basis else rng.choice(list(categories.values())),
            quantity=Decimal(rng.randrange(20, 2000)),
            unit=basis.unit,
            price_min=Decimal(rng.randint(400, 900)),
            currency=basis.currency,
            incoterm=basis.incoterm
            if on_basis and basis.incoterm
            else rng.choice(("FOB", "CFR", "EXW", "DAP")),
            region=basis.region if on_basis and basis.region_id else rng.choice(regions),
            company=rng.choice(companies),
            valid_until=published.date() + timedelta(days=rng.randint(7, 45)),
        )
        page.kind = page.listing_kind
        pages.append(page)
        dates.append(published)
    for start in tqdm(range(0, len(pages), 5000), desc="bench listings", unit="×5000"):
        bulk_add_children(board, pages[start : start + 5000], dates[start : start + 5000])
    members = []
    User = get_user_model()
    for number, company in enumerate(companies[:40]):
        user = User.objects.create_user(f"bench-{number}", f"bench-{number}@example.com")
        members.append(Membership.objects.create(user=user, site=site, company=company))
    requests = [p for p, when in zip(pages, dates, strict=True) if isinstance(p, BuyRequestPage)]
    rows = []
    for number in range(quotes):
        request = requests[number // len(members) % len(requests)]
        rows.append(
            Quote(
                request_id=request.pk,
                membership=members[number % len(members)],
                price=Decimal(rng.randint(400, 900)),
                currency=request.currency,
                quantity=request.quantity,
                lead_time_days=30,
                incoterm=request.incoterm,
                status=Quote.ACCEPTED if rng.random() < 0.1 else Quote.SUBMITTED,
                decided_at=None,
            )
        )
    Quote.objects.bulk_create(rows, batch_size=2000)
    # Spread the quotes over the year, as created_at is set on insert.
    for quote in Quote.objects.filter(membership__in=members).only("pk"):
        moment = datetime.combine(
            today - timedelta(days=rng.randint(0, 365)), datetime.min.time(), UTC
        )
        Quote.objects.filter(pk=quote.pk).update(created_at=moment, decided_at=moment)


def main() -> None:
    args = options()
    start_django("guildhall-bench-prices-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portal.board.models import Quote, TradeListingPage
    from portal.core.models import PortalHomePage
    from portal.prices.models import PricePoint, PriceSeriesPage

    call_command("migrate", verbosity=0)
    call_command("launch_portal", "steel", demo=400, domain="localhost", verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="steel")
    add_board(home, args.listings, args.quotes)
    listings = TradeListingPage.objects.descendant_of(home).count()
    quotes = Quote.objects.count()
    print(
        f"database: {connection.vendor}; {listings:,} listings and {quotes:,} quotes on the board"
    )

    def read_rows():
        list(
            TradeListingPage.objects.descendant_of(home).values_list(
                "pk",
                "category_id",
                "price_min",
                "price_max",
                "currency",
                "unit",
                "incoterm",
                "region_id",
                "first_published_at",
                "valid_until",
                "closed_on",
                "company_id",
            )
        )
        list(
            Quote.objects.values_list(
                "pk", "price", "currency", "created_at", "status", "membership_id"
            )
        )

    baseline = min(timed(read_rows) for _ in range(3))
    first = timed(lambda: call_command("assess_prices", "steel", verbosity=0))
    again = timed(lambda: call_command("assess_prices", "steel", verbosity=0))
    series = list(PriceSeriesPage.objects.descendant_of(home).order_by("path"))
    points = PricePoint.objects.filter(series__in=series).count()
    print(f"\nassess_prices steel: {len(series)} series, {points:,} points over 400 days")
    print(f"{'':38} {'seconds':>8} {'× baseline':>11}")
    print(f"{'baseline: read every listing and quote':38} {baseline:8.2f} {1:11.1f}")
    print(f"{'assess_prices (first run)':38} {first:8.2f} {first / baseline:11.1f}")
    print(f"{'assess_prices (nothing to change)':38} {again:8.2f} {again / baseline:11.1f}")

    client = Client(HTTP_HOST="steel.localhost")
    daily = next(s for s in series if s.frequency == "daily")
    weekly = next(s for s in series if s.frequency == "weekly")
    # The baseline is the cheapest page with the portal's layout; /robots.txt shows what the
    # stack alone costs.
    pages = [
        ("baseline: the methodology page", "/prices/methodology/"),
        ("/robots.txt", "/robots.txt"),
        (
            f"series page, daily ({daily.points.count()} points)",
            daily.url_path.removeprefix("/steel"),
        ),
        (
            f"series page, weekly ({weekly.points.count()} points)",
            weekly.url_path.removeprefix("/steel"),
        ),
        ("prices table (/prices/)", "/prices/"),
        (
            "a point's input log",
            f"{weekly.url_path.removeprefix('/steel')}inputs/{weekly.points.last().period_end.isoformat()}/",
        ),
        ("portal home page", "/"),
    ]
    print(
        f"\n{'page (uncached)':40} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}",
        f"{'queries':>8}",
    )
    base = None
    for label, path in pages:
        page = time_page(client, path, args.requests)
        base = base or page.median
        print(
            f"{label:40} {page.median:10.1f} {page.p95:8.1f} {page.median / base:11.2f} "
            f"{page.queries:8d}"
        )


if __name__ == "__main__":
    main()
