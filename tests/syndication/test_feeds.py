"""Atom feeds of sections, of every filter of a section and of every company."""

import re
from datetime import date, timedelta
from html import escape

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.board.models import BoardIndexPage, SellOfferPage, TradeListingPage
from portal.catalogue.models import ProductPage
from portal.core.models import Category, PortalHomePage
from portal.directory.models import CompanyPage
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

from ..conftest import host
from .atom import NS, check_atom, entry_links

STEEL = host("steel")


def get(client, path: str, hostname: str = STEEL):
    return client.get(path, HTTP_HOST=hostname)


def board_of(home: PortalHomePage) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(home).get()


def open_offers(home: PortalHomePage):
    return (
        SellOfferPage.objects.live()
        .descendant_of(home)
        .filter(TradeListingPage.current())
        .select_related("category", "region", "company")
        .order_by("-first_published_at", "-pk")
    )


def company_with_listings(home: PortalHomePage) -> CompanyPage:
    offer = open_offers(home).filter(company__isnull=False, company__live=True).first()
    return offer.company


def new_offer(board: BoardIndexPage, template: SellOfferPage, title: str) -> SellOfferPage:
    offer = SellOfferPage(
        title=title,
        category=template.category,
        region=template.region,
        company=template.company,
        description="Fresh coils from the mill.",
        quantity=template.quantity,
        unit=template.unit,
        price_min=template.price_min,
        currency=template.currency or "USD",
        valid_until=date.today() + timedelta(days=20),
    )
    board.add_child(instance=offer)
    offer.save_revision().publish()
    return offer


def feed_link(page_html: str) -> str:
    found = re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page_html
    )
    assert found, "the page names no Atom feed"
    return found.group(1)


def test_every_filter_of_the_board_has_a_valid_feed_linked_from_its_page(client, steel):
    board = board_of(steel)
    offer = open_offers(steel).first()
    category = offer.category
    for path in (
        f"{board.url}category/{category.slug}/",
        f"{board.url}region/{offer.region.code}/",
    ):
        page = get(client, path)
        assert page.status_code == 200
        html = page.content.decode()
        feed_path = feed_link(html)
        assert feed_path == "/feeds/board/" + path[len(board.url) :] + "atom.xml"
        assert f'href="{feed_path}" class="feed-link"' in html  # a visible link too
        response = get(client, feed_path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = check_atom(response.content)
        links = entry_links(feed)
        assert offer.full_url in links
        listed = [link.rsplit("/", 2)[-2] for link in links]
        assert listed == [item.slug for item in board.filtered(*_filter(board, path))[:30]]
        assert feed.find("a:link[@rel='self']", NS).get("href").endswith(feed_path)
        assert feed.find("a:link[@rel='alternate']", NS).get("href").endswith(path)


def _filter(board: BoardIndexPage, path: str) -> tuple:
    kind, value = path[len(board.url) :].strip("/").split("/")
    for choice_kind, choice in board.filter_choices():
        if choice_kind == kind and value in (
            getattr(choice, "slug", None),
            getattr(choice, "code", None),
        ):
            return kind, choice
    raise AssertionError(path)


def test_a_category_feed_covers_its_subcategories_like_its_page(client, steel):
    parent = Category.objects.filter(
        site__root_page=steel, parent=None, children__isnull=False
    ).first()
    feed = check_atom(get(client, f"/feeds/board/category/{parent.slug}/atom.xml").content)
    child_offer = open_offers(steel).filter(category__parent=parent).first()
    if child_offer is not None and child_offer.pk in [
        p.pk for p in board_of(steel).filtered("category", parent)[:30]
    ]:
        assert child_offer.full_url in entry_links(feed)


def current_items_of(company: CompanyPage) -> set[str]:
    """What a company's feed may list: the current items of every section whose items point
    to companies (open listings, live products, franchises, investments)."""
    sections = (
        TradeListingPage.objects.open(),
        ProductPage.objects.live(),
        FranchiseListingPage.objects.live(),
        InvestmentOpportunityPage.objects.live(),
    )
    return {page.full_url for items in sections for page in items.filter(company=company)}


def test_every_company_has_a_feed_of_its_current_items(client, steel):
    company = company_with_listings(steel)
    page = get(client, company.url).content.decode()
    feed_path = feed_link(page)
    assert feed_path == f"/feeds/directory/{company.slug}/atom.xml"
    assert "Atom feed" in page and f'href="{feed_path}"' in page
    feed = check_atom(get(client, feed_path).content)
    links = entry_links(feed)
    current = open_offers(steel).filter(company=company)
    assert links and set(links) <= current_items_of(company)
    assert current.first().full_url in links
    assert escape(company.title) in feed.findtext("a:title", namespaces=NS)


def test_a_closed_listing_leaves_its_feeds(client, steel):
    offer = open_offers(steel).filter(company__isnull=False).first()
    feeds = [
        f"/feeds/board/category/{offer.category.slug}/atom.xml",
        f"/feeds/board/region/{offer.region.code}/atom.xml",
        f"/feeds/directory/{offer.company.slug}/atom.xml",
    ]
    for path in feeds:
        assert offer.full_url in entry_links(check_atom(get(client, path).content))
    offer.closed_on = date.today()
    offer.save_revision().publish()
    for path in feeds:
        assert offer.full_url not in entry_links(check_atom(get(client, path).content)), path


def test_a_feed_that_lists_nothing_is_valid_and_keeps_its_date(client, steel):
    company = company_with_listings(steel)
    TradeListingPage.objects.filter(company=company).update(closed_on=date.today())
    for model in (ProductPage, FranchiseListingPage, InvestmentOpportunityPage):
        model.objects.filter(company=company).update(live=False)
    first = get(client, f"/feeds/directory/{company.slug}/atom.xml")
    feed = check_atom(first.content)
    assert feed.findall("a:entry", NS) == []
    again = get(client, f"/feeds/directory/{company.slug}/atom.xml")
    assert again.content == first.content  # no "now" in it


def test_feeds_name_their_websub_hub_when_one_is_set(client, steel, settings):
    path = "/feeds/board/atom.xml"
    assert b'rel="hub"' not in get(client, path).content
    settings.WEBSUB_HUB_URL = "https://hub.example.org/"
    feed = check_atom(get(client, path).content)
    assert feed.find("a:link[@rel='hub']", NS).get("href") == "https://hub.example.org/"
    page = get(client, "/board/").content.decode()
    assert '<link rel="hub" href="https://hub.example.org/">' in page


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/board/category/no-such-thing/atom.xml",
        "/feeds/board/region/nowhere/atom.xml",
        "/feeds/board/kind/sell/atom.xml",
        "/feeds/board/category/atom.xml",
        "/feeds/board/../atom.xml",
        "/feeds/board/page/2/atom.xml",
        "/feeds/directory/no-such-company/atom.xml",
        "/feeds/news/some-article/atom.xml",
        "/feeds/nothing/category/x/atom.xml",
        "/feeds/board/%00/atom.xml",
        "/feeds/board/category/" + "x" * 300 + "/atom.xml",
    ],
)
def test_feeds_of_nothing_answer_404(client, steel, path):
    assert get(client, path).status_code == 404


def test_another_portals_company_has_no_feed_here(client, steel, textiles):
    company = CompanyPage.objects.live().descendant_of(textiles).first()
    assert get(client, f"/feeds/directory/{company.slug}/atom.xml").status_code in (200, 404)
    body = get(client, f"/feeds/directory/{company.slug}/atom.xml").content
    assert company.full_url.encode() not in body


def test_feed_entries_are_dated_from_their_pages(client, steel):
    board = board_of(steel)
    template = open_offers(steel).filter(company__isnull=False).first()
    offer = new_offer(board, template, "Hot rolled coil, fresh")
    feed = check_atom(get(client, f"/feeds/board/category/{offer.category.slug}/atom.xml").content)
    entries = {entry.find("a:link", NS).get("href"): entry for entry in feed.findall("a:entry", NS)}
    updated = entries[offer.full_url].findtext("a:updated", namespaces=NS)
    published = timezone.localtime(offer.last_published_at)
    assert updated.startswith(published.strftime("%Y-%m-%dT%H:%M"))
    latest = max(entry.findtext("a:updated", namespaces=NS) for entry in entries.values())
    assert feed.findtext("a:updated", namespaces=NS) == latest


@pytest.mark.parametrize("change", ["unpublished", "restricted"])
def test_a_section_visitors_cannot_see_has_no_feed(client, steel, change):
    board = BoardIndexPage.objects.child_of(steel).get()
    assert get(client, "/feeds/board/atom.xml").status_code == 200
    if change == "unpublished":
        board.unpublish()
    else:
        PageViewRestriction.objects.create(page=board, restriction_type="login")
    assert get(client, "/feeds/board/atom.xml").status_code == 404
    assert get(client, "/feeds/board/category/steel/atom.xml").status_code == 404
