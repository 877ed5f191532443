"""Uncached pages without waste: how many SQL queries a page costs, and that the count stays
flat as a portal's content grows; and that what is kept per process (``portal.core.models.
shared``: site, settings, menu, sections, taxonomy, view restrictions) never goes stale."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.board.models import (
    BoardIndexPage,
    BuyRequestPage,
    Inquiry,
    Quote,
    SellOfferPage,
    TradeListingPage,
)
from portal.core.bulk import bulk_add_children
from portal.core.models import Category, PortalSettings, Region
from portal.core.models.shared import VERSION_KEY
from portal.news.models import NewsArticlePage

from .conftest import host

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 6
HOME_BUDGET = 8
BOARD_BUDGET = 6
DASHBOARD_BUDGET = 15
GROWTH = 80  # listings added to show the counts stay flat


@pytest.fixture
def board(steel) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(steel).get()


@pytest.fixture
def member(steel, make_member):
    return make_member(steel, "budget")


def grow(board: BoardIndexPage, site, membership, count: int = GROWTH) -> None:
    """``count`` more open listings on ``board`` (half of them the member's company's), with an
    inquiry on each of the member's and a quote from the member on each buy request."""
    categories = list(Category.objects.for_site(site).filter(parent__isnull=False)[:4])
    regions = list(Region.objects.filter(site=site)[:3])
    others = TradeListingPage.objects.child_of(board).exclude(company=membership.company)
    other_company = others.exclude(company=None).values_list("company", flat=True).first()
    stamp = TradeListingPage.objects.count()
    pages = []
    for n in range(count):
        model = SellOfferPage if n % 2 else BuyRequestPage
        pages.append(
            model(
                title=f"Budget listing {stamp}-{n}",
                slug=f"budget-listing-{stamp}-{n}",
                kind=model.listing_kind,
                category=categories[n % len(categories)],
                region=regions[n % len(regions)],
                description="Plenty of it.",
                quantity=Decimal(100 + n),
                unit="t",
                valid_until=date.today() + timedelta(days=30),
                company_id=membership.company_id if n % 4 < 2 else other_company,
            )
        )
    now = timezone.now()
    bulk_add_children(board, pages, [now - timedelta(minutes=n) for n in range(count)])
    for page in pages:
        if page.company_id == membership.company_id:
            Inquiry.objects.create(
                listing=page, site=site, name="Buyer", email="b@x.test", message="How much?"
            )
        elif isinstance(page, BuyRequestPage):
            Quote.objects.create(
                request=page,
                membership=membership,
                price=Decimal("10"),
                currency="USD",
                quantity=Decimal("5"),
                lead_time_days=10,
            )


def queries(client, path: str, status: int = 200, **extra) -> int:
    """The SQL queries of a GET of ``path``, once what every page shares is known."""
    assert client.get(path, **extra).status_code == status, path
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == status, path
    return len(captured)


def listing_path(board: BoardIndexPage, model) -> str:
    listing = model.objects.live().child_of(board).filter(TradeListingPage.current()).first()
    return listing.url_path.removeprefix(board.get_parent().url_path.rstrip("/"))


def budgets(client, board, membership) -> dict[str, int]:
    """Queries of each page measured: anonymous pages, then the member's dashboard."""
    h = host("steel")
    counts = {
        "sell offer": queries(client, listing_path(board, SellOfferPage), HTTP_HOST=h),
        "buy request": queries(client, listing_path(board, BuyRequestPage), HTTP_HOST=h),
        "home": queries(client, "/", HTTP_HOST=h),
        "board": queries(client, "/board/", HTTP_HOST=h),
        "board page 2": queries(client, "/board/page/2/", HTTP_HOST=h),
    }
    client.force_login(membership.user)
    counts["dashboard"] = queries(client, "/members/", HTTP_HOST=h)
    client.logout()
    return counts


def check(counts: dict[str, int]) -> None:
    assert counts["sell offer"] <= LISTING_BUDGET, counts
    assert counts["buy request"] <= LISTING_BUDGET, counts
    assert counts["home"] <= HOME_BUDGET, counts
    assert counts["board"] <= BOARD_BUDGET, counts
    assert counts["board page 2"] <= BOARD_BUDGET, counts
    assert counts["dashboard"] <= DASHBOARD_BUDGET, counts


def test_pages_keep_to_their_query_budgets_as_content_grows(client, steel, site_of, board, member):
    grow(board, site_of(steel), member, count=24)  # the member has listings, inquiries, quotes
    small = budgets(client, board, member)
    check(small)
    grow(board, site_of(steel), member)
    large = budgets(client, board, member)
    check(large)
    assert large == small  # flat: not one query more for more listings, inquiries, quotes


def test_listing_page_budget(client, steel, board, django_assert_max_num_queries):
    path = listing_path(board, SellOfferPage)
    client.get(path, HTTP_HOST=host("steel"))
    with django_assert_max_num_queries(LISTING_BUDGET):
        assert client.get(path, HTTP_HOST=host("steel")).status_code == 200
    path = listing_path(board, BuyRequestPage)
    with django_assert_max_num_queries(LISTING_BUDGET):
        assert client.get(path, HTTP_HOST=host("steel")).status_code == 200


def test_home_board_and_dashboard_budgets(
    client, steel, site_of, board, member, django_assert_max_num_queries
):
    grow(board, site_of(steel), member, count=12)
    for path in ("/", "/board/"):  # what every page shares is then known
        client.get(path, HTTP_HOST=host("steel"))
    with django_assert_max_num_queries(HOME_BUDGET):
        assert client.get("/", HTTP_HOST=host("steel")).status_code == 200
    with django_assert_max_num_queries(BOARD_BUDGET):
        assert client.get("/board/", HTTP_HOST=host("steel")).status_code == 200
    client.force_login(member.user)
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        response = client.get("/members/", HTTP_HOST=host("steel"))
    assert response.status_code == 200
    assert b"Budget listing" in response.content and b"How much?" in response.content


# What is kept per process never goes stale ------------------------------------------------


def test_an_editors_change_of_settings_and_menu_shows_at_once(client, steel, site_of, board):
    client.get("/", HTTP_HOST=host("steel"))  # settings and menu now kept
    settings = PortalSettings.for_site(site_of(steel))
    settings.tagline = "Freshly edited tagline"
    settings.save()
    assert b"Freshly edited tagline" in client.get("/", HTTP_HOST=host("steel")).content

    board.title = "Trading floor"
    board.save_revision().publish()
    page = client.get("/", HTTP_HOST=host("steel")).content.decode()
    assert '/board/">Trading floor</a></li>' in page  # the menu

    board.show_in_menus = False
    board.save_revision().publish()
    page = client.get("/", HTTP_HOST=host("steel")).content.decode()
    assert '/board/">Trading floor</a></li>' not in page
    # ...and a page of the board names it in its breadcrumbs.
    page = client.get(listing_path(board, SellOfferPage), HTTP_HOST=host("steel")).content
    assert b"Trading floor</a></li>" in page


def test_a_change_in_another_process_shows_once_it_bumps_the_version(client, steel, site_of):
    client.get("/", HTTP_HOST=host("steel"))
    # Another process changes the row (no signal here) and bumps the shared version.
    PortalSettings.objects.filter(site=site_of(steel)).update(tagline="Set elsewhere")
    caches["shared"].set(VERSION_KEY, "another-process")
    assert b"Set elsewhere" in client.get("/", HTTP_HOST=host("steel")).content


def test_a_new_category_is_offered_at_once(client, steel, site_of, board):
    client.get("/board/", HTTP_HOST=host("steel"))
    Category.objects.create(site=site_of(steel), name="Brand-new metals", slug="brand-new")
    response = client.get("/board/category/brand-new/", HTTP_HOST=host("steel"))
    assert response.status_code == 200
    assert b"Brand-new metals" in response.content


def test_view_restrictions_are_respected_and_follow_changes(client, steel, board):
    h = host("steel")
    listing = (
        SellOfferPage.objects.live().child_of(board).filter(TradeListingPage.current()).first()
    )
    path = listing.url_path.removeprefix(steel.url_path.rstrip("/"))
    assert client.get(path, HTTP_HOST=h).status_code == 200  # restrictions now kept: none

    restriction = PageViewRestriction.objects.create(page=listing, restriction_type="login")
    response = client.get(path, HTTP_HOST=h)
    assert response.status_code == 302 and "login" in response["Location"]
    assert listing.title.encode() not in client.get("/board/", HTTP_HOST=h).content

    restriction.delete()
    assert client.get(path, HTTP_HOST=h).status_code == 200

    PageViewRestriction.objects.create(page=board, restriction_type="login")  # a whole section
    assert client.get(path, HTTP_HOST=h).status_code == 302
    assert client.get("/board/", HTTP_HOST=h).status_code == 302


def test_a_known_host_costs_no_query_for_its_site(client, steel, django_assert_num_queries):
    """Wagtail's page view asks for the request's site before anything of the portal runs;
    the site middleware answers it from what the process knows."""
    client.get("/robots.txt", HTTP_HOST=host("steel"))
    with django_assert_num_queries(0):
        assert client.get("/robots.txt", HTTP_HOST=host("steel")).status_code == 200
    client.get("/", HTTP_HOST=host("steel"))
    with CaptureQueriesContext(connection) as queries:
        client.get("/", HTTP_HOST=host("steel"))
    assert not [q for q in queries.captured_queries if "wagtailcore_site" in q["sql"]]


def test_a_members_only_page_leaves_other_sections_queries_alone(client, steel):
    """A restricted news report must not add its condition to every list of the portal, and
    pages under restrictions elsewhere are excluded by id, not by a path test per row."""
    from portal.news.models import NewsArticlePage

    report = NewsArticlePage.objects.live().descendant_of(steel).first()
    PageViewRestriction.objects.create(page=report, restriction_type="login")
    client.get("/board/", HTTP_HOST=host("steel"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/board/", HTTP_HOST=host("steel")).status_code == 200
    assert not [q for q in queries.captured_queries if report.path in q["sql"]]
    assert report.title not in client.get("/news/", HTTP_HOST=host("steel")).content.decode()


def test_a_models_pages_are_tested_against_its_own_restricted_pages_only(steel, board):
    """``public()`` on a model adds no condition for restricted pages of other models, and
    still leaves out that model's own."""
    from portal.news.models import NewsArticlePage

    report = NewsArticlePage.objects.live().descendant_of(steel).first()
    PageViewRestriction.objects.create(page=report, restriction_type="login")
    assert str(SellOfferPage.objects.live().public().query) == str(
        SellOfferPage.objects.live().query
    )
    assert report.pk not in NewsArticlePage.objects.live().public().values_list("pk", flat=True)
    offer = SellOfferPage.objects.live().child_of(board).first()
    PageViewRestriction.objects.create(page=offer, restriction_type="login")
    assert offer.pk not in SellOfferPage.objects.live().public().values_list("pk", flat=True)
    assert offer.pk not in TradeListingPage.objects.live().public().values_list("pk", flat=True)
    assert offer.pk in SellOfferPage.objects.live().values_list("pk", flat=True)


def test_the_pages_below_a_restricted_section_are_left_out_with_it(steel, board):
    offer = SellOfferPage.objects.live().child_of(board).first()
    report = NewsArticlePage.objects.live().descendant_of(steel).first()
    PageViewRestriction.objects.create(page=board, restriction_type="login")
    PageViewRestriction.objects.create(page=report, restriction_type="login")
    assert offer.pk not in SellOfferPage.objects.live().public().values_list("pk", flat=True)
    assert not TradeListingPage.objects.live().public().child_of(board).exists()
    assert report.pk not in NewsArticlePage.objects.live().public().values_list("pk", flat=True)
    assert NewsArticlePage.objects.live().public().descendant_of(steel).exists()
