"""Demo companies for a portal's directory (see ``portal/demo``): by their number, verified
with several checks (one in three of those with a site visit), verified by registration
alone, lapsed, revoked, asking for verification, or never verified."""

from datetime import date, timedelta
from random import Random
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify
from wagtail.models import Page

from .checks import CheckScope, VerificationCheck, lasting, summary
from .models import CompanyPage
from .requests import VerificationRequest

if TYPE_CHECKING:
    from portal.demo.context import DemoContext

# What each company number (modulo the length) shows: a kind of verification record.
PATTERN = ("full", "requested", "registration", "lapsed", "unverified", "revoked")
INSPECTORS = ("J. Okafor", "M. Lindqvist", "A. Rao", "C. Moreau")


def demo_checks(
    ctx: "DemoContext", rng: Random, number: int, country: str
) -> list[VerificationCheck]:
    """The checks of demo company ``number``, dated around ``ctx.today``."""
    kind = PATTERN[number % len(PATTERN)]
    if kind in ("unverified", "requested"):
        return []
    today: date = ctx.today
    by = f"{ctx.industry.name} secretariat"
    start = today - timedelta(days=400 if kind == "lapsed" else rng.randint(20, 200))
    until = start + timedelta(days=365)
    registration = VerificationCheck(
        scope=CheckScope.REGISTRATION,
        checked_by=by,
        checked_on=start,
        expires_on=until,
        registry=f"Commercial register of {country}",
        registration_number=f"{rng.randint(100000, 999999)}-{rng.choice('ABCDEFGH')}",
    )
    checks = [registration]
    if kind == "revoked":
        registration.revoked_on = today - timedelta(days=rng.randint(1, 15))
        registration.revoked_reason = "The registry lists the company as dissolved."
    if kind == "full":
        checks.append(
            VerificationCheck(
                scope=CheckScope.ADDRESS, checked_by=by, checked_on=start, expires_on=until
            )
        )
        checks.append(
            VerificationCheck(
                scope=CheckScope.AUTHORITY, checked_by=by, checked_on=start, expires_on=until
            )
        )
        if number % (3 * len(PATTERN)) == 0:
            checks.append(
                VerificationCheck(
                    scope=CheckScope.SITE_VISIT,
                    checked_by=by,
                    checked_on=start + timedelta(days=7),
                    expires_on=until,
                    inspector=rng.choice(INSPECTORS),
                )
            )
    return checks


def company_page(ctx: "DemoContext", number: int) -> tuple[CompanyPage, dict]:
    rng = ctx.rng("company", number)
    name = ctx.company_name(number)
    city, country, region = ctx.place(rng)
    categories = rng.sample(ctx.leaves, k=min(len(ctx.leaves), rng.randint(1, 4)))
    certs = rng.sample(ctx.certifications, k=min(len(ctx.certifications), rng.randint(0, 3)))
    profile = (
        f"{name} is a {rng.choice(ctx.words.SIZES)} {rng.choice(ctx.words.ROLES)} based in {city}. "
        f"It specialises in {ctx.join([c.name.lower() for c in categories])} and supplies "
        f"customers across {region.name} and beyond.\n\n"
        f"Annual capacity is around {rng.randint(2, 90) * 1000:,} "
        f"{ctx.industry.units[0].name.lower()}, with in-house quality control"
        + (f" certified to {ctx.join(certs)}." if certs else ".")
    )
    checks = demo_checks(ctx, ctx.rng("company-checks", number), number, country)
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
        search_description=profile.split(". ")[0][:250],
        **summary(lasting(checks)),
    )
    asked = None
    if PATTERN[number % len(PATTERN)] == "requested":
        asked = VerificationRequest(
            registry=f"Commercial register of {country}",
            registration_number=f"{rng.randint(100000, 999999)}-R",
            message="We would like the verified badge before the next trade show.",
        )
    return page, {"categories": [c.pk for c in categories], "checks": checks, "request": asked}


def add_checks(pages: list[Page], relations: list[dict[str, Any]]) -> None:
    """Store the demo companies' checks and requests once their pages exist."""
    if not pages:
        return
    site = pages[0].get_site()
    rows = []
    for page, related in zip(pages, relations, strict=True):
        for check in related.get("checks", []):
            check.company_id, check.site = page.pk, site
            rows.append(check)
    VerificationCheck.objects.bulk_create(rows)
    asked = [related["request"] for related in relations if related.get("request")]
    for page, related in zip(pages, relations, strict=True):
        if related.get("request"):
            related["request"].company_id, related["request"].site = page.pk, site
    VerificationRequest.objects.bulk_create(asked)
