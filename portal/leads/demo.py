"""Demo leads (``manage.py demo_leads``, after ``demo_users``): enquiries on some franchises
and investments of every portal, and statuses and first replies on them and on the board's
demo inquiries, so that company pages show varied response rates. Deterministic and
idempotent: the same rows, statuses and ages (counted back from now) on every run."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page, Site

from portal.board.models import Inquiry
from portal.core import changes
from portal.core.models import PortalSettings, Region
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

from .models import Enquiry, Timeline

PAGES_PER_KIND = 4
SENDERS = [
    ("Lena Fischer", "Fischer Beteiligungen", "lena.fischer"),
    ("Rahul Mehta", "Mehta Family Office", "rahul.mehta"),
    ("Sofia Rossi", "", "sofia.rossi"),
    ("Tomás Silva", "Silva Capital", "tomas.silva"),
    ("Grace Mensah", "Mensah Holdings", "grace.mensah"),
]
MESSAGES = [
    "We are looking at this for next year. Could you send the information pack?",
    "What does the first year look like in cash terms, and who finds the site?",
    "Is the territory still open? We have retail experience in the region.",
    "Please share the business plan and the terms you have in mind.",
    "We could take a minority stake. Who should we talk to?",
]
# Per page in turn: how its enquiries fare, as (status, hours to the first reply or None).
OUTCOMES = [
    [("won", 3), ("replied", 20), ("replied", 5)],
    [("replied", 30), ("new", None), ("lost", 60), ("replied", 50)],
    [("new", None), ("new", None), ("lost", None)],
    [("replied", 1), ("won", 2), ("replied", 4), ("replied", 8)],
]
INQUIRY_OUTCOMES = [("replied", 6), ("won", 26), ("new", None)]


def _pages(home: Page) -> list[Page]:
    """The first franchises and investments (with a company) of the portal, by id."""
    pages: list[Page] = []
    for model in (FranchiseListingPage, InvestmentOpportunityPage):
        live = model.objects.live().descendant_of(home).filter(company__isnull=False)
        pages += list(live.order_by("pk")[:PAGES_PER_KIND])
    return pages


def _set_state(row, status: str, hours: float | None, age: float) -> None:
    created = timezone.now() - timedelta(days=age)
    replied = created + timedelta(hours=hours) if hours is not None else None
    type(row).objects.filter(pk=row.pk).update(
        status=status, replied_at=replied, created_at=created
    )


def demo_leads(home: Page) -> list[str]:
    """Seed the portal's demo leads; one line per company that has some."""
    site = Site.objects.get(root_page=home)
    slug = home.specific.industry_slug
    rng = random.Random(f"{slug}:leads")
    currency = (PortalSettings.for_site(site).currencies or ["USD"])[0]
    regions = list(Region.objects.filter(site=site, is_active=True).order_by("pk"))
    lines = []
    for number, page in enumerate(_pages(home)):
        outcomes = OUTCOMES[number % len(OUTCOMES)]
        for index, (status, hours) in enumerate(outcomes):
            name, company_name, handle = SENDERS[(number + index) % len(SENDERS)]
            enquiry, _ = Enquiry.objects.update_or_create(
                page=page,
                email=f"{handle}@example.com",
                defaults={
                    "site": site,
                    "company_id": page.company_id,
                    "name": name,
                    "company_name": company_name,
                    "message": MESSAGES[(number + index) % len(MESSAGES)],
                    "amount": Decimal(rng.randrange(5, 80) * 10000),
                    "currency": currency,
                    "timeline": rng.choice(Timeline.values),
                    "territory": rng.choice(regions) if regions else None,
                    "relayed_at": timezone.now(),
                },
            )
            _set_state(enquiry, status, hours, age=rng.uniform(2, 80))
        lines.append(f"{len(outcomes)} enquiries on {page.title}")
    inquiries = Inquiry.objects.filter(site=site, listing__company__isnull=False).order_by("pk")
    for inquiry, (status, hours) in zip(inquiries, INQUIRY_OUTCOMES, strict=False):
        _set_state(inquiry, status, hours, age=rng.uniform(1, 30))
    changes.note(site.pk)
    return lines
