"""Every page type renders in every theme, from that theme's templates, showing its data."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Page, Site

from portal.board.models import BuyRequestPage, SellOfferPage
from portal.core.models import PortalHomePage, PortalSettings
from portal.directory.models import CompanyPage
from portal.news.models import NewsArticlePage
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

pytestmark = pytest.mark.django_db

THEMES_DIR = Path(settings.THEMES_DIR)


def shown_values(page: Page) -> list[str]:
    """Field values a visitor must see on the page."""
    specific = page.specific
    values = [specific.title]
    match specific:
        case SellOfferPage() | BuyRequestPage():
            values += [specific.category.name, specific.region.name, specific.unit]
        case NewsArticlePage():
            values += [specific.author, specific.summary[:40]]
        case FranchiseListingPage():
            values += [specific.brand, specific.sector.name, "Royalty"]
        case InvestmentOpportunityPage():
            values += [specific.get_deal_type_display(), specific.get_stage_display()]
        case CompanyPage():
            values += [specific.country, "Verification"]
    return values


def assert_accessible(html: str) -> None:
    """Landmarks, one h1, a skip link, labelled navigation and alt text on every image."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html.get("lang") == "en"
    assert len(soup.find_all("h1")) == 1
    assert soup.find("main", id="main") and soup.find("header") and soup.find("footer")
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    assert all(nav.get("aria-label") for nav in soup.find_all("nav"))
    assert all(img.has_attr("alt") for img in soup.find_all("img"))


def page_types(home: PortalHomePage) -> list[Page]:
    """One live page of each type in the portal, home and sections included."""
    seen: dict[type, Page] = {}
    for page in home.get_descendants(inclusive=True).live().specific():
        seen.setdefault(type(page), page)
    return list(seen.values())


@pytest.mark.parametrize("theme", settings.THEMES)
def test_every_page_type_renders_in_every_theme(client, theme):
    home = PortalHomePage.objects.get(industry_slug="steel")
    site = Site.objects.get(root_page=home)
    PortalSettings.objects.filter(site=site).update(theme=theme)
    pages = page_types(home)
    assert len(pages) == 12  # home, 5 sections, 6 content types

    for page in pages:
        response = client.get(
            page.url_path.removeprefix("/steel"), HTTP_HOST=f"{site.hostname}:{site.port}"
        )
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f'class="theme-{theme}"' in html
        assert f"themes/{theme}/css/theme.css" in html or theme == "base"
        template = Path(response.template_name.template.filename)
        own = THEMES_DIR / theme / "jinja2"
        assert template.is_relative_to(own) or template.is_relative_to(
            THEMES_DIR / "base" / "jinja2"
        ), template
        if (own / template.relative_to(template.parents[1])).exists():
            assert template.is_relative_to(own), f"{theme} overrides {template.name}"
        assert_accessible(html)
        for value in shown_values(page):
            assert value in html or value.replace("&", "&amp;") in html, (page, value)


def test_palette_and_theme_come_from_the_portal_settings(client):
    steel = client.get("/", HTTP_HOST="steel.localhost:8000").content.decode()
    textiles = client.get("/", HTTP_HOST="textiles.localhost:8000").content.decode()
    assert 'class="theme-industrial"' in steel and 'class="theme-textile"' in textiles
    assert "--colour-primary:#1f3a52" in steel
    assert "--colour-primary:#1f3a52" not in textiles


def test_user_text_is_escaped_with_line_breaks_kept(client):
    offer = SellOfferPage.objects.live().filter(url_path__startswith="/steel/").first()
    offer.description = "<script>alert(1)</script>\nSecond line"
    offer.save_revision().publish()
    html = client.get(
        offer.url_path.removeprefix("/steel"), HTTP_HOST="steel.localhost:8000"
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in html


def test_editors_see_the_userbar_and_visitors_do_not(client, admin_user):
    offer = SellOfferPage.objects.live().filter(url_path__startswith="/steel/").first()
    path = offer.url_path.removeprefix("/steel")
    assert b"wagtail-userbar" not in client.get(path, HTTP_HOST="steel.localhost:8000").content
    client.force_login(admin_user)
    assert b"wagtail-userbar" in client.get(path, HTTP_HOST="steel.localhost:8000").content
