"""Every page type renders in every theme, from that theme's templates, showing its data."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from markupsafe import escape
from wagtail.models import Page, Site

from portal.board.models import BuyRequestPage, SellOfferPage
from portal.catalogue.models import ProductPage
from portal.core.models import PortalHomePage, PortalSettings
from portal.directory.models import CompanyPage
from portal.events.models import EventPage
from portal.news.models import NewsArticlePage
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage
from portal.prices.models import PriceSeriesPage

pytestmark = pytest.mark.django_db

THEMES_DIR = Path(settings.THEMES_DIR)
APPS_DIR = Path(settings.BASE_DIR) / "portal"


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
        case PriceSeriesPage():
            values += [specific.unit_label, specific.basis, "Download"]
        case EventPage():
            values += [specific.city or specific.get_attendance_display()]
        case ProductPage():
            values += [specific.summary, specific.company.title]
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
    assert len(pages) == 18  # home, 8 sections, 9 content types

    for page in pages:
        response = client.get(
            page.url_path.removeprefix("/steel"), HTTP_HOST=f"{site.hostname}:{site.port}"
        )
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f'class="theme-{theme}"' in html
        assert f"themes/{theme}/css/theme.css" in html or theme == "base"
        template = Path(response.template_name.template.filename)
        expected = page.specific.get_template(None).template.filename
        assert template == Path(expected)
        # The theme's own, the base theme's, or (for a section's own pages) its app's.
        assert (
            template.is_relative_to(THEMES_DIR / theme / "jinja2")
            or template.is_relative_to(THEMES_DIR / "base" / "jinja2")
            or template.is_relative_to(APPS_DIR)
        ), template
        assert_accessible(html)
        for value in shown_values(page):
            assert value in html or str(escape(value)) in html, (page, value)


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


def test_a_theme_template_wins_over_base_and_can_extend_it(tmp_path):
    from themes.environment import environment

    for theme, text in (
        ("base", "base:{% block x %}base-block{% endblock %}"),
        ("acme", '{% extends "base/page.html" %}{% block x %}acme+{{ super() }}{% endblock %}'),
    ):
        folder = tmp_path / theme / "jinja2"
        folder.mkdir(parents=True)
        (folder / "page.html").write_text(text)
    (tmp_path / "base" / "jinja2" / "only-base.html").write_text("from base")
    acme = environment(theme="acme", themes_dir=str(tmp_path))
    assert acme.get_template("page.html").render() == "base:acme+base-block"
    assert acme.get_template("only-base.html").render() == "from base"
    plain = environment(theme="base", themes_dir=str(tmp_path))
    assert plain.get_template("page.html").render() == "base:base-block"


def test_templates_are_compiled_once_per_install(tmp_path, settings, monkeypatch):
    from jinja2 import Environment

    from themes.environment import KeptBytecode, environment

    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "base" / "jinja2"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("{% for n in range(3) %}{{ n }}{% endfor %}")
    assert environment(themes_dir=str(tmp_path)).get_template("page.html").render() == "012"
    assert list((settings.VAR_DIR / "jinja2").iterdir())
    # Another process: the compiled template is loaded, not compiled again...
    monkeypatch.setattr(Environment, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert environment(themes_dir=str(tmp_path)).get_template("page.html").render() == "012"
    monkeypatch.undo()
    # ... unless its source changed.
    (folder / "page.html").write_text("changed")
    assert environment(themes_dir=str(tmp_path)).get_template("page.html").render() == "changed"
    # A cache it cannot write to costs only the compiling.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    env = environment(themes_dir=str(tmp_path), bytecode_cache=KeptBytecode(str(blocked)))
    assert env.get_template("page.html").render() == "changed"


def test_home_page_title_names_the_portal_once(client):
    html = client.get("/", HTTP_HOST="steel.localhost:8000").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.string == "SteelHub — Steel & Metals Exchange"
    board = BeautifulSoup(
        client.get("/board/", HTTP_HOST="steel.localhost:8000").content, "html.parser"
    )
    assert board.title.string.endswith(" · SteelHub — Steel & Metals Exchange")


def test_expired_listings_and_closed_deals_are_not_listed(client):
    from datetime import date, timedelta

    from portal.board.models import TradeListingPage

    offer = SellOfferPage.objects.live().filter(url_path__startswith="/steel/").first()
    TradeListingPage.objects.filter(pk=offer.pk).update(
        valid_until=date.today() - timedelta(days=1)
    )
    deal = InvestmentOpportunityPage.objects.live().filter(url_path__startswith="/steel/").first()
    InvestmentOpportunityPage.objects.filter(pk=deal.pk).update(
        deadline=date.today() - timedelta(days=1)
    )
    host = {"HTTP_HOST": "steel.localhost:8000"}
    board_html = "".join(
        client.get(f"/board/page/{n}/" if n > 1 else "/board/", **host).content.decode()
        for n in range(1, 4)
    )
    assert offer.url_path.removeprefix("/steel") not in board_html
    assert (
        deal.url_path.removeprefix("/steel")
        not in client.get("/investment/", **host).content.decode()
    )
    company_html = client.get(offer.company.url_path.removeprefix("/steel"), **host)
    assert offer.url_path.removeprefix("/steel") not in company_html.content.decode()


def test_preview_of_a_listing_without_validity_date(admin_user):
    from django.test import RequestFactory

    offer = SellOfferPage.objects.live().filter(url_path__startswith="/steel/").first()
    offer.valid_until = None
    request = RequestFactory().get("/", HTTP_HOST="steel.localhost:8000")
    request.user = admin_user
    response = offer.make_preview_request(request)
    assert response.status_code == 200
    assert offer.title in response.content.decode()
