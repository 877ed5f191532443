"""Demo franchise listings and investment opportunities (see ``portal/demo``)."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.text import slugify

from .models import FranchiseListingPage, InvestmentOpportunityPage

if TYPE_CHECKING:
    from portal.demo.context import DemoContext


def franchise_page(ctx: "DemoContext", number: int) -> tuple[FranchiseListingPage, dict]:
    rng = ctx.rng("franchise", number)
    concept = rng.choice(ctx.concepts)
    brand = f"{rng.choice(ctx.stems)} {concept.title()}"
    currency = ctx.industry.currencies[0]
    low = Decimal(rng.randrange(40, 400) * 1000)
    territories = rng.sample(ctx.regions, k=min(len(ctx.regions), rng.randint(1, 3)))
    page = FranchiseListingPage(
        title=f"{brand} franchise",
        slug=f"{slugify(brand)}-{number}",
        brand=brand,
        sector=rng.choice(ctx.groups),
        summary=f"Open a {concept} under the {brand} name: proven concept, "
        f"supplier network and marketing from day one.",
        description=f"{brand} runs {rng.randint(5, 120)} outlets. Franchisees get "
        f"territory protection and access to group purchasing.\n"
        f"Ideal partners have a background in {rng.choice(ctx.leaves).name.lower()}.",
        currency=currency,
        investment_min=low,
        investment_max=low + Decimal(rng.randrange(20, 300) * 1000),
        franchise_fee=Decimal(rng.randrange(10, 60) * 1000),
        royalty_percent=Decimal(rng.choice(["3.50", "4.00", "5.00", "6.00", "7.50"])),
        units_available=rng.randint(2, 40),
        year_founded=rng.randint(1975, 2020),
        support="Site selection, launch marketing, purchasing platform, field coaching.",
        training=f"{rng.randint(2, 8)} weeks at the flagship outlet plus online modules.",
    )
    companies = ctx.items_of("directory")
    page.company = rng.choice(companies) if companies else None
    page.search_description = page.summary
    return page, {"territories": [r.pk for r in territories]}


def investment_page(ctx: "DemoContext", number: int) -> tuple[InvestmentOpportunityPage, dict]:
    rng = ctx.rng("investment", number)
    companies = ctx.items_of("directory")
    category = rng.choice(ctx.leaves)
    deal, deal_label = rng.choice(InvestmentOpportunityPage.DEAL_TYPES)
    stage, stage_label = rng.choice(InvestmentOpportunityPage.STAGES)
    city, _country, region = ctx.place(rng)
    amount = Decimal(rng.randrange(5, 400) * 100000)
    title = f"{deal_label} for a {category.name.lower()} project in {city}"
    page = InvestmentOpportunityPage(
        title=title,
        slug=f"{slugify(title)[:60].rstrip('-')}-{number}",
        sector=category,
        deal_type=deal,
        stage=stage,
        amount_sought=amount,
        currency=ctx.industry.currencies[0],
        region=region,
        deadline=ctx.today + timedelta(days=rng.randint(20, 240)),
        summary=f"{stage_label} {category.name.lower()} project seeking "
        f"{amount:,.0f} {ctx.industry.currencies[0]} ({deal_label.lower()}).",
        description=f"The project in {city} ({region.name}) targets growing demand for "
        f"{category.name.lower()}.\nThe sponsor offers board representation "
        f"and a detailed business plan under NDA.",
        company=rng.choice(companies) if companies else None,
    )
    page.search_description = page.summary
    return page, {}
