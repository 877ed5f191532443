"""Demo history for the prices section: a year of offers and requests on the board for each
series' product and basis, closed once their validity ran out, priced along a deterministic
market path; and the conversion rates the series need. ``assess_prices`` (``make demo`` runs
it) turns them into a year of points."""

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.text import slugify
from wagtail.models import Page

from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.models import Category, PortalSettings, Region

from .models import ConversionRate, PriceIndexPage
from .options import PricesOptions, Series

if TYPE_CHECKING:
    from portal.demo.context import DemoContext

HISTORY_SEED = "price-history"
HISTORY_DAYS = 400  # a year, and a base for the change on the year
# Approximate value of one unit of each currency in US dollars, for the demo's dated rates.
USD_VALUE = {
    "USD": 1.0,
    "EUR": 1.08,
    "GBP": 1.27,
    "CNY": 0.14,
    "INR": 0.012,
    "TRY": 0.031,
    "JPY": 0.0067,
    "BRL": 0.19,
    "AUD": 0.66,
    "CAD": 0.73,
    "CHF": 1.12,
    "ZAR": 0.054,
    "MXN": 0.058,
    "IDR": 0.000063,
    "VND": 0.00004,
    "BDT": 0.0085,
    "PKR": 0.0036,
    "THB": 0.028,
    "MYR": 0.21,
    "KRW": 0.00075,
    "ARS": 0.0011,
    "NGN": 0.00065,
}
# Units the demo knows how to convert: one of the first is this many of the second.
UNIT_FACTORS = (("t", "kg", 1000), ("kg", "g", 1000), ("m", "cm", 100), ("l", "ml", 1000))


def history_count(scale: int) -> int:
    """History listings in all: enough for every week of a few series to have its inputs."""
    return min(1200, max(120, 2 * scale))


def _options(ctx: "DemoContext") -> PricesOptions | None:
    section = ctx.industry.section("prices")
    return section.parsed_options() if section is not None else None


def history_listing(ctx: "DemoContext", number: int) -> tuple[TradeListingPage | None, dict]:
    """One past offer or request for a series, priced on the series' market path that day."""
    options = _options(ctx)
    if options is None or not options.series:
        return None, {}
    series = options.series[number % len(options.series)]
    rng = ctx.rng(HISTORY_SEED, number)
    companies = ctx.items_of("directory")
    category = _category(ctx, series)
    if category is None or not companies:
        return None, {}
    published = datetime.combine(
        ctx.today - timedelta(days=rng.randint(7, HISTORY_DAYS)),
        time(rng.randint(6, 18), rng.randint(0, 59)),
        tzinfo=UTC,
    )
    level = _market_level(ctx, series, published.date())
    price = Decimal(round(level * rng.uniform(0.94, 1.06), 0))
    if rng.random() < 0.04:  # now and then a price far off the market
        price = Decimal(round(level * rng.choice((0.45, 1.8)), 0))
    region = _region(ctx, series, rng)
    currency = series.currency
    others = [c for c in ctx.industry.currencies if c != currency and c in USD_VALUE]
    if others and currency in USD_VALUE and rng.random() < 0.15:  # priced in another currency
        currency = rng.choice(others)
        price = Decimal(round(float(price) * USD_VALUE[series.currency] / USD_VALUE[currency], 2))
    sell = rng.random() < 0.55
    model = SellOfferPage if sell else BuyRequestPage
    title = f"{series.name}: {'offer' if sell else 'request'} of {published:%d %b %Y}"
    page = model(
        title=title,
        slug=f"{slugify(series.slug)[:40]}-history-{number}",
        description=(
            f"{'Offered' if sell else 'Wanted'}: {category.name}, "
            f"{series.specification or 'standard grade'}."
        ),
        category=category,
        quantity=Decimal(rng.randrange(50, 2000, 50)),
        unit=series.unit,
        price_min=price,
        currency=currency,
        incoterm=series.incoterm or rng.choice(("FOB", "CFR", "EXW")),
        region=region,
        company=rng.choice(companies),
        valid_until=published.date() + timedelta(days=rng.randint(10, 35)),
        first_published_at=published,
    )
    if sell:
        page.specification = series.specification
    page.kind = page.listing_kind
    page.search_description = page.description[:250]
    return page, {}


def retire_history(pages: list[Page], related: list[dict]) -> None:
    """History past its validity leaves the board as the expiry job would have left it; the
    portal gets the conversion rates its series need."""
    today = date.today()
    past = [p for p in pages if p.valid_until < today]
    Page.objects.filter(pk__in=[p.pk for p in past]).update(live=False, expired=True)
    for page in past:  # as indexed next
        page.live, page.expired = False, True
    # History still on the board had its expiry reminder long ago: no email for it now.
    TradeListingPage.objects.filter(pk__in=[p.pk for p in pages if p.valid_until >= today]).update(
        reminder_sent_on=today
    )
    if pages:
        home = pages[0].get_parent().get_parent()
        index = PriceIndexPage.objects.child_of(home).first()
        settings = PortalSettings.for_site(home.get_site())
        if index is not None and settings is not None:
            seed_rates(index, settings.currencies, [u["code"] for u in settings.units], today)


def seed_rates(index: PriceIndexPage, currencies: list[str], units: list[str], today: date) -> int:
    """Dated rates for the portal's currencies (weekly, over the history) and its units."""
    if index.conversion_rates.exists():
        return 0
    rows = []
    base = currencies[0]
    start = today - timedelta(days=HISTORY_DAYS + 14)
    for currency in currencies[1:]:
        if currency not in USD_VALUE or base not in USD_VALUE:
            continue
        for week in range(0, HISTORY_DAYS // 7 + 3):
            day = start + timedelta(days=7 * week)
            drift = 1 + 0.03 * math.sin(week / 9 + len(currency))
            rate = USD_VALUE[currency] / USD_VALUE[base] * drift
            rows.append(
                ConversionRate(
                    section=index,
                    kind=ConversionRate.CURRENCY,
                    source=currency,
                    target=base,
                    rate=Decimal(f"{rate:.6g}"),
                    valid_from=day,
                )
            )
    for source, target, factor in UNIT_FACTORS:
        if source in units and target in units:
            rows.append(
                ConversionRate(
                    section=index,
                    kind=ConversionRate.UNIT,
                    source=source,
                    target=target,
                    rate=Decimal(factor),
                    valid_from=start,
                )
            )
    ConversionRate.objects.bulk_create(rows)
    return len(rows)


def _market_level(ctx: "DemoContext", series: Series, day: date) -> float:
    """The series' market that day: its category's typical price with a slow cycle and a drift."""
    category = next((c for c in ctx.industry.categories() if c.key == series.category), None)
    guide = category.price if category is not None else None
    middle = (guide.min + guide.max) / 2 if guide else 100.0
    if (
        guide
        and guide.currency != series.currency
        and guide.currency in USD_VALUE
        and series.currency in USD_VALUE
    ):
        middle *= USD_VALUE[guide.currency] / USD_VALUE[series.currency]
    age = (ctx.today - day).days
    phase = sum(map(ord, series.slug)) % 360
    return middle * (1 + 0.08 * math.sin(2 * math.pi * age / 240 + phase) - 0.0002 * age)


def _category(ctx: "DemoContext", series: Series) -> Category | None:
    """The series' category, or the first of its children when it is a group."""
    leaf = next((c for c in ctx.leaves if c.slug == series.category), None)
    if leaf is not None:
        return leaf
    group = next((g for g in ctx.groups if g.slug == series.category), None)
    if group is None:
        return None
    return next((c for c in ctx.leaves if c.parent_id == group.pk), None)


def _region(ctx: "DemoContext", series: Series, rng) -> Region:
    if series.region:
        return next(r for r in ctx.regions if r.code == series.region)
    return rng.choice(ctx.regions)
