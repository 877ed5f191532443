"""Feeds and rich results in the static copy: the same files and the same markup as live, and
incremental builds (and page cache purges) that follow them."""

import re
from datetime import date
from pathlib import Path

import pytest

from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage
from portal.events.models import EventPage
from portal.export.targets import portal_targets
from portal.news.models import NewsArticlePage
from portal.pagecache.purge import changed_paths

from ..conftest import host
from ..support import build_static
from .atom import check_atom

HEAD_MARKUP = re.compile(
    r'<script type="application/ld\+json">.*?</script>'
    r'|<meta (?:property="og:|name="twitter:)[^>]*>'
    r'|<link rel="(?:canonical|hub)"[^>]*>'
    r'|<link rel="alternate" type="application/atom\+xml"[^>]*>',
    re.S,
)


def open_listing(model, home: PortalHomePage) -> TradeListingPage:
    return (
        model.objects.live()
        .descendant_of(home)
        .filter(TradeListingPage.current(), company__isnull=False)
        .order_by("-first_published_at", "-pk")
        .first()
    )


def path_of(page) -> str:
    return "/" + page.url_path.split("/", 2)[2]


def feed_stamps(site) -> dict[str, list]:
    return {t.path: [t.stamp, t.link_stamp, t.page_id] for t in portal_targets(site)}


@pytest.fixture(scope="module")
def static_copy(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """The steel portal's static copy, served at the live site's address (one build for the
    module)."""
    out = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        build_static(out, base_url="", live_url="")
    return out / "steel.localhost"


def static_file(folder: Path, path: str) -> bytes:
    relative = path.lstrip("/")
    return (folder / (relative + "index.html" if path.endswith("/") else relative)).read_bytes()


@pytest.mark.export
@pytest.mark.slow
def test_static_pages_carry_the_live_markup(static_copy, client, steel):
    offer = open_listing(SellOfferPage, steel)
    pages = [
        "/",
        "/board/",
        f"/board/category/{offer.category.slug}/",
        f"/board/region/{offer.region.code}/",
        path_of(offer),
        path_of(open_listing(BuyRequestPage, steel)),
        path_of(offer.company),
        path_of(NewsArticlePage.objects.live().descendant_of(steel).first()),
        path_of(EventPage.objects.live().descendant_of(steel).first()),
    ]
    for path in pages:
        live = client.get(path, HTTP_HOST=host("steel")).content.decode()
        static = static_file(static_copy, path).decode()
        markup = HEAD_MARKUP.findall(live)
        assert any("ld+json" in tag for tag in markup) and any("og:url" in tag for tag in markup)
        assert HEAD_MARKUP.findall(static) == markup, path
        assert all("http://steel.localhost:8000" in tag for tag in markup if "canonical" in tag)


@pytest.mark.export
@pytest.mark.slow
def test_static_feeds_are_the_live_feeds(static_copy, client, steel):
    offer = open_listing(SellOfferPage, steel)
    feeds = [
        "/feeds/board/atom.xml",
        f"/feeds/board/category/{offer.category.slug}/atom.xml",
        f"/feeds/board/region/{offer.region.code}/atom.xml",
        f"/feeds/directory/{offer.company.slug}/atom.xml",
    ]
    for path in feeds:
        live = client.get(path, HTTP_HOST=host("steel")).content
        assert static_file(static_copy, path) == live, path
        check_atom(live)
    companies = CompanyPage.objects.live().descendant_of(steel)
    for company in companies:
        check_atom(static_file(static_copy, f"/feeds/directory/{company.slug}/atom.xml"))


def test_every_filter_and_company_feed_is_exported(steel, site_of):
    paths = {t.path for t in portal_targets(site_of(steel))}
    board = SellOfferPage.objects.live().descendant_of(steel).first().get_parent().specific
    for kind, choice in board.filter_choices():
        if kind:
            value = getattr(choice, "slug", None) or choice.code
            assert f"/feeds/board/{kind}/{value}/atom.xml" in paths
    for company in CompanyPage.objects.live().public().descendant_of(steel):
        assert f"/feeds/directory/{company.slug}/atom.xml" in paths


def test_a_closed_listing_changes_its_feeds_and_their_cached_copies(steel, site_of):
    site = site_of(steel)
    offer = open_listing(SellOfferPage, steel)
    before = feed_stamps(site)
    offer.closed_on = date.today()
    offer.save_revision().publish()
    after = feed_stamps(site)
    mine = {
        f"/feeds/board/category/{offer.category.slug}/atom.xml",
        f"/feeds/board/region/{offer.region.code}/atom.xml",
        f"/feeds/directory/{offer.company.slug}/atom.xml",
    }
    if offer.category.parent_id:
        mine.add(f"/feeds/board/category/{offer.category.parent.slug}/atom.xml")
    for path in mine:
        assert after[path][0] != before[path][0], path
    others = {
        path
        for path in before
        if path.startswith("/feeds/board/region/") and f"/{offer.region.code}/" not in path
    }
    assert others and all(after[path][0] == before[path][0] for path in others)
    assert mine <= changed_paths(steel, portal_targets(site), before)
