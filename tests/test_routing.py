"""Host routing, the hub fallback, path-based pagination and filters."""

import pytest

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import Category

from .conftest import DEMO_SCALE, host
from .support import live_sitemap

pytestmark = pytest.mark.django_db


def test_each_hostname_serves_its_own_portal(client):
    steel = client.get("/", HTTP_HOST=host("steel"))
    textiles = client.get("/", HTTP_HOST=host("textiles"))
    assert b"SteelHub" in steel.content and b"SteelHub" not in textiles.content
    assert b"LoomLink" in textiles.content


@pytest.mark.parametrize("hostname", ["unknown.example", "nope.localhost:8000", "localhost:8000"])
def test_unknown_hostnames_get_the_hub_listing_every_portal(client, hostname):
    response = client.get("/", HTTP_HOST=hostname)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="page-hub"' in html
    for name in ("SteelHub", "LoomLink", "AgriFood Exchange"):
        assert name in html
    assert 'href="http://steel.localhost:8000/"' in html


def test_the_hub_has_a_sitemap_of_one_file(client):
    sitemap = live_sitemap(client, "localhost:8000")
    assert sitemap.count("<sitemap>") == 1 and "/sitemap-pages.xml</loc>" in sitemap
    assert client.get("/sitemaps/board.xml", HTTP_HOST="localhost:8000").status_code == 404


def test_a_portal_page_is_not_reachable_from_another_portal_host(client):
    assert client.get("/board/", HTTP_HOST=host("steel")).status_code == 200
    listing = TradeListingPage.objects.live().filter(url_path__startswith="/steel/").first()
    path = listing.url_path.removeprefix("/steel")
    assert client.get(path, HTTP_HOST=host("steel")).status_code == 200
    assert client.get(path, HTTP_HOST=host("textiles")).status_code == 404


def test_board_cards_say_whether_they_sell_or_buy(client):
    html = client.get("/board/", HTTP_HOST=host("steel")).content.decode()
    assert '<span class="badge badge--sell">Sell offer</span>' in html
    assert '<span class="badge badge--buy">Buy request</span>' in html


def test_path_based_pagination(client):
    board = BoardIndexPage.objects.get(url_path="/steel/board/")
    pages = -(-DEMO_SCALE // board.per_page)
    first = client.get("/board/", HTTP_HOST=host("steel")).content.decode()
    assert 'href="/board/page/2/"' in first
    second = client.get("/board/page/2/", HTTP_HOST=host("steel"))
    assert second.status_code == 200
    assert 'aria-current="page">2<' in second.content.decode()
    assert client.get(f"/board/page/{pages}/", HTTP_HOST=host("steel")).status_code == 200
    assert client.get(f"/board/page/{pages + 1}/", HTTP_HOST=host("steel")).status_code == 404
    redirect = client.get("/board/page/1/", HTTP_HOST=host("steel"))
    assert redirect.status_code == 301 and redirect["Location"].endswith("/board/")


def test_category_filter_includes_child_categories(client):
    board = BoardIndexPage.objects.get(url_path="/steel/board/")
    listing = board.listings().first()
    parent = listing.category.parent
    html = client.get(f"/board/category/{parent.slug}/", HTTP_HOST=host("steel")).content.decode()
    assert listing.title in html
    expected = board.listings().filter(category__parent=parent).count()
    assert f"{expected} listing" in html
    other = Category.objects.filter(site=board.get_site(), parent=None).exclude(pk=parent.pk)
    other_titles = (
        board.listings().filter(category__parent__in=other).values_list("title", flat=True)[:5]
    )
    for title in other_titles:
        assert title not in html


def test_region_filter_and_unknown_filters(client):
    board = BoardIndexPage.objects.get(url_path="/steel/board/")
    listing = board.listings().first()
    html = client.get(
        f"/board/region/{listing.region.code}/", HTTP_HOST=host("steel")
    ).content.decode()
    assert listing.title in html
    assert client.get("/board/region/atlantis/", HTTP_HOST=host("steel")).status_code == 404
    assert client.get("/board/category/nothing/", HTTP_HOST=host("steel")).status_code == 404
    # A category of another portal is not this portal's category.
    steel_slugs = Category.objects.filter(site=board.get_site()).values_list("slug", flat=True)
    foreign = Category.objects.exclude(site=board.get_site()).exclude(slug__in=steel_slugs).first()
    assert (
        client.get(f"/board/category/{foreign.slug}/", HTTP_HOST=host("steel")).status_code == 404
    )


def test_themed_404_sitemap_and_robots(client):
    missing = client.get("/no-such-page/", HTTP_HOST=host("steel"))
    assert missing.status_code == 404
    assert b"Page not found" in missing.content and b"theme-industrial" in missing.content
    sitemap = live_sitemap(client, host("steel"))
    assert "http://steel.localhost:8000/board/" in sitemap
    assert "textiles.localhost" not in sitemap
    robots = client.get("/robots.txt", HTTP_HOST=host("steel")).content.decode()
    assert "Sitemap: http://steel.localhost:8000/sitemap.xml" in robots
