"""Deterministic demo placement for a portal: a sponsored listing and a sponsored company
running today, and a house ad of the association on each board section."""

from datetime import timedelta

from wagtail.models import Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage

from .models import HouseAd, Sponsorship
from .slots import today

DEMO_REFERENCE = "DEMO-{site}-{kind}"
RUNS_BEFORE, RUNS_AFTER = 7, 30  # days around today


def demo_sponsored(home: PortalHomePage) -> list[str]:
    """Make (or reset) the portal's demo sponsorships and house ads; lines for the report."""
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return []
    starts, ends = today() - timedelta(days=RUNS_BEFORE), today() + timedelta(days=RUNS_AFTER)
    lines = []
    listing = (
        (TradeListingPage.objects.open().descendant_of(home).filter(company__isnull=False))
        .order_by("pk")
        .first()
    )
    company = CompanyPage.objects.live().public().descendant_of(home).order_by("pk").first()
    for kind, page in (("listing", listing), ("company", company)):
        if page is None:
            continue
        advertiser = page.company.title if kind == "listing" else page.title
        Sponsorship.objects.update_or_create(
            site=site,
            payment_reference=DEMO_REFERENCE.format(site=site.pk, kind=kind),
            defaults={
                "page": page,
                "starts_on": starts,
                "ends_on": ends,
                "advertiser": advertiser,
                "payer": advertiser,
                "on_board": True,
                "on_categories": True,
                "on_search": True,
            },
        )
        lines.append(f"sponsored {kind}: {page.title} (on behalf of {advertiser})")
    for board in BoardIndexPage.objects.child_of(home).live().order_by("pk"):
        HouseAd.objects.update_or_create(
            site=site,
            section=board,
            title=f"Join {home.title}",
            defaults={
                "text": "Members post offers and requests, get matched and reach buyers.",
                "link_page": home,
                "link_url": "",
                "starts_on": starts,
                "ends_on": ends,
                "live": True,
            },
        )
        lines.append(f"house ad on {board.title}")
    return lines
