"""Sponsorships and house ads as editors make them, portal clients and HTML helpers."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import PortalHomePage, PortalSettings
from portal.directory.models import CompanyPage
from portal.sponsored.models import HouseAd, Sponsorship

from ..conftest import host, today

ORGANIC = ".card-grid, .search-hits"  # the organic lists of sections and of search


def site_for(home: PortalHomePage) -> Site:
    return Site.objects.get(root_page=home)


def board_of(home: PortalHomePage) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(home).live().get()


def open_listing(home: PortalHomePage, skip: int = 0) -> TradeListingPage:
    return (
        TradeListingPage.objects.open()
        .descendant_of(home)
        .filter(company__isnull=False)
        .order_by("pk")[skip]
    ).specific


def live_company(home: PortalHomePage, skip: int = 0) -> CompanyPage:
    return CompanyPage.objects.live().descendant_of(home).order_by("pk")[skip]


def sponsor(page, home: PortalHomePage, starts=None, ends=None, **fields) -> Sponsorship:
    """A sponsorship as the admin saves it (validated)."""
    values = {
        "advertiser": "Acme Foundry Ltd",
        "payer": "Acme Holdings plc",
        "starts_on": starts or today() - timedelta(days=1),
        "ends_on": ends or today() + timedelta(days=10),
        **fields,
    }
    sponsorship = Sponsorship(site=site_for(home), page=page, **values)
    sponsorship.full_clean()
    sponsorship.save()
    return sponsorship


def house_ad(home: PortalHomePage, section=None, **fields) -> HouseAd:
    values = {
        "title": "Meet us at the annual fair",
        "text": "The association's stand, hall 3.",
        "link_page": home,
        "starts_on": today() - timedelta(days=1),
        "ends_on": today() + timedelta(days=10),
        **fields,
    }
    ad = HouseAd(site=site_for(home), section=section or board_of(home), **values)
    ad.full_clean()
    ad.save()
    return ad


def visitor(home: PortalHomePage, **headers) -> Client:
    headers.setdefault("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
    return Client(HTTP_HOST=host(home.industry_slug), **headers)


def soup(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def sponsored_items(page: BeautifulSoup) -> list:
    """Every element marked as a sponsored item."""
    return page.select('[data-sponsored="item"]')


def assert_labelled(page: BeautifulSoup) -> None:
    """Every sponsored item carries the label, advertiser and payer, inside the section
    labelled "Sponsored", and none is inside an organic list."""
    for item in sponsored_items(page):
        text = " ".join(item.get_text(" ").split())
        assert "Sponsored" in text
        assert item.select_one('[data-sponsored="advertiser"]').get_text(strip=True)
        assert item.select_one('[data-sponsored="payer"]').get_text(strip=True)
        assert "on behalf of" in text and "paid by" in text
        section = item.find_parent("section")
        assert section is not None and section.get("aria-label") == "Sponsored"
        assert item.find_parent(class_=["card-grid", "search-hits"]) is None


def staff(home: PortalHomePage, name: str, role: str = "editors"):
    settings = PortalSettings.objects.get(site=site_for(home))
    user = get_user_model().objects.create_user(name, f"{name}@staff.test", "staff-123")
    user.groups.add(getattr(settings, f"{role}_group"))
    return user


def staff_client(user) -> Client:
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    return client


@pytest.fixture
def listing(steel) -> TradeListingPage:
    return open_listing(steel)
