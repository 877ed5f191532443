"""Demo companies for a portal's directory (see ``portal/demo``)."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.text import slugify

from .models import CompanyPage

if TYPE_CHECKING:
    from portal.demo.context import DemoContext


def company_page(ctx: "DemoContext", number: int) -> tuple[CompanyPage, dict]:
    rng = ctx.rng("company", number)
    name = ctx.company_name(number)
    city, country, region = ctx.place(rng)
    categories = rng.sample(ctx.leaves, k=min(len(ctx.leaves), rng.randint(1, 4)))
    certs = rng.sample(ctx.certifications, k=min(len(ctx.certifications), rng.randint(0, 3)))
    verified = rng.random() < 0.45
    verified_on = ctx.today - timedelta(days=rng.randint(10, 300)) if verified else None
    profile = (
        f"{name} is a {rng.choice(ctx.words.SIZES)} {rng.choice(ctx.words.ROLES)} based in {city}. "
        f"It specialises in {ctx.join([c.name.lower() for c in categories])} and supplies "
        f"customers across {region.name} and beyond.\n\n"
        f"Annual capacity is around {rng.randint(2, 90) * 1000:,} "
        f"{ctx.industry.units[0].name.lower()}, with in-house quality control"
        + (f" certified to {ctx.join(certs)}." if certs else ".")
    )
    page = CompanyPage(
        title=name,
        slug=slugify(name),
        profile=profile,
        country=country,
        city=city,
        region=region,
        website=f"https://www.{slugify(name)}.example",
        year_established=rng.randint(1950, 2021),
        employees=rng.choice([code for code, _ in CompanyPage.SIZES]),
        certifications=certs,
        logo=None,
        verified_by=f"{ctx.industry.name} secretariat" if verified else "",
        verification_scope=rng.choice(
            [
                "business registration",
                "site visit",
                "trade references",
                "registration and site visit",
            ]
        )
        if verified
        else "",
        verified_on=verified_on,
        verification_expires=verified_on + timedelta(days=365) if verified_on else None,
        search_description=profile.split(". ")[0][:250],
    )
    return page, {"categories": [c.pk for c in categories]}
