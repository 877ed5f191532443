"""Benchmark: ``send_alerts`` over many saved searches and new listings.

Launches the steel portal (demo content) on a fresh database, adds ``--listings`` new offers
and requests published over the past three days and ``--alerts`` confirmed alerts (saved
searches by category, kind, region, words and price range, followed companies and categories;
instant, daily and weekly), then prints the time of one ``send_alerts`` run (matching, recording
every delivery and queueing every email in django-post-office's queue, sent by a dummy
transport) and of a second run that finds everything sent, beside baselines measured in the
same run:

- reading the new listings once from the database (what any run must do);
- one database query per saved search (measured on a sample, scaled to every search): what
  asking the database, or a search engine, for each search would cost at the least.

    .venv/bin/python bench/alerts.py [--alerts 10000] [--listings 1000]
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import start_django  # noqa: E402

GOAL_SECONDS = 60
SAMPLE = 500  # searches queried one by one for the second baseline


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--listings", type=int, default=1_000)
    return parser.parse_args()


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def add_listings(home, count: int, rng: random.Random) -> None:
    """``count`` offers and requests first published over the past three days."""
    from django.utils import timezone

    from portal.board.models import BoardIndexPage, BuyRequestPage, SellOfferPage
    from portal.core.bulk import bulk_add_children
    from portal.core.models import Category, Region
    from portal.directory.models import CompanyPage

    board = BoardIndexPage.objects.child_of(home).get()
    site = home.get_site()
    categories = list(Category.objects.filter(site=site, parent__isnull=False))
    regions = list(Region.objects.filter(site=site))
    companies = list(CompanyPage.objects.live().descendant_of(home))
    now = timezone.now()
    pages, dates = [], []
    for number in range(count):
        category = rng.choice(categories)
        model = SellOfferPage if rng.random() < 0.55 else BuyRequestPage
        page = model(
            title=f"{category.name} {rng.choice(('prime', 'stock', 'surplus', 'export'))} {number}",
            slug=f"bench-new-{number}",
            description=f"{category.name} in {rng.choice(('coils', 'bundles', 'sheets'))}.",
            category=category,
            quantity=Decimal(rng.randrange(20, 2000)),
            unit="t",
            price_min=Decimal(rng.randint(100, 6000)),
            currency="USD",
            region=rng.choice(regions),
            company=rng.choice(companies),
            valid_until=now.date() + timedelta(days=30),
        )
        page.kind = page.listing_kind
        pages.append(page)
        dates.append(now - timedelta(minutes=rng.randint(1, 3 * 24 * 60)))
    bulk_add_children(board, pages, dates)


def add_alerts(home, count: int, rng: random.Random) -> None:
    """``count`` confirmed alerts of every kind, made as the forms make them."""
    from django.utils import timezone

    from portal.alerts.models import FREQUENCIES, Alert
    from portal.alerts.targets import read_category, read_company, read_url
    from portal.core.models import Category, Region
    from portal.directory.models import CompanyPage
    from search.params import price_buckets_for

    site = home.get_site()
    categories = list(Category.objects.filter(site=site).values_list("slug", flat=True))
    regions = list(Region.objects.filter(site=site).values_list("code", flat=True))
    region_ids = list(Region.objects.filter(site=site).values_list("pk", flat=True))
    companies = list(CompanyPage.objects.live().descendant_of(home).values_list("pk", flat=True))
    prices = [key for key, *_ in price_buckets_for(site)]
    targets = {}  # read once per distinct target, as many visitors save the same searches

    def target():
        roll = rng.random()
        if roll < 0.45:
            kind = rng.choice(("", "&kind=sell", "&kind=buy"))
            key = ("url", f"/search/?category={rng.choice(categories)}{kind}")
        elif roll < 0.6:
            key = ("url", f"/search/?q={rng.choice(('prime', 'export', 'coils'))}")
        elif roll < 0.7:
            key = ("url", f"/search/?region={rng.choice(regions)}&price={rng.choice(prices)}")
        elif roll < 0.85:
            key = ("company", str(rng.choice(companies)))
        else:
            key = ("category", rng.choice(categories))
        if key not in targets:
            read = {"url": read_url, "company": read_company, "category": read_category}
            targets[key] = read[key[0]](site, key[1])
        return targets[key]

    since = timezone.now() - timedelta(days=7)
    rows = []
    for number in range(count):
        found = target()
        rows.append(
            Alert(
                site=site,
                email=f"reader-{number}@example.com",
                kind=found.kind,
                label=found.label,
                source_url=found.source_url,
                filters=found.filters.dump(),
                company=found.company,
                excluded_regions=[rng.choice(region_ids)] if rng.random() < 0.2 else [],
                frequency=rng.choice(FREQUENCIES)[0],
                confirmed_at=since,
                since=since,
                created_at=since,
            )
        )
    Alert.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    args = options()
    start_django("guildhall-bench-alerts-")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from portal.alerts.feeds import candidates
    from portal.alerts.filters import ListingFilter
    from portal.alerts.models import Alert, Delivery
    from portal.alerts.sending import send_alerts
    from portal.board.models import TradeListingPage
    from portal.core.models import PortalHomePage

    # The production path: emails are rows in the queue, sent at commit by a transport
    # that does nothing (the mail server is not what is measured).
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.dummy.EmailBackend"},
        "LOG_LEVEL": 0,
    }
    call_command("migrate", verbosity=0)
    call_command("launch_portal", "steel", demo=200, domain="localhost", verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="steel")
    rng = random.Random("bench-alerts")
    add_listings(home, args.listings, rng)
    add_alerts(home, args.alerts, rng)
    print(
        f"database: {connection.vendor}; {Alert.objects.count():,} alerts, "
        f"{args.listings:,} new listings"
    )

    def read_listings():
        since = max(Alert.objects.values_list("since", flat=True))
        list(
            TradeListingPage.objects.open()
            .filter(first_published_at__gte=since - timedelta(days=1))
            .select_related("category", "region", "company")
        )

    baseline = min(timed(read_listings) for _ in range(3))
    sample = list(Alert.objects.select_related("site").order_by("?")[:SAMPLE])
    wanted = [ListingFilter.load(alert.filters, alert.excluded_regions) for alert in sample]
    per_search = timed(
        lambda: [candidates(a, w).count() for a, w in zip(sample, wanted, strict=True)]
    )
    per_search *= args.alerts / len(sample)

    summary = None

    def run():
        nonlocal summary
        summary = send_alerts()

    first = timed(run)
    emails, deliveries = summary.emails, Delivery.objects.count()
    again = timed(run)
    print(f"first run: {emails:,} emails, {deliveries:,} deliveries recorded")
    print(f"second run: {summary.emails:,} emails (everything was sent)")
    print(f"\n{'':46} {'seconds':>8} {'× baseline':>11}")
    print(f"{'baseline: read the new listings':46} {baseline:8.2f} {1:11.1f}")
    label = f"one query per search (×{args.alerts // len(sample)} of {len(sample)})"
    print(f"{label:46} {per_search:8.2f} {per_search / baseline:11.1f}")
    print(f"{'send_alerts (first run)':46} {first:8.2f} {first / baseline:11.1f}")
    print(f"{'send_alerts (nothing new)':46} {again:8.2f} {again / baseline:11.1f}")
    verdict = "within" if first <= GOAL_SECONDS else "OVER"
    print(f"\ngoal: {GOAL_SECONDS} s for the first run — {verdict} ({first:.1f} s)")


if __name__ == "__main__":
    main()
