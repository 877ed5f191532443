"""Supply and demand on the board: weekly new offers and requests of a category, their volumes
and ratio, charted on the category's board page and kept fresh in the static copy."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models.functions import TruncWeek
from django.utils import timezone

from portal.board.balance import (
    Balance,
    Week,
    WeekOf,
    category_balance,
    first_page_balances,
    week_start,
)
from portal.board.models import BoardIndexPage, BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.bulk import bulk_add_children
from portal.core.models import Category, Region
from portal.export.targets import portal_targets
from portal.pagecache.purge import changed_paths

from .conftest import host
from .test_query_budget import BOARD_BUDGET, queries

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def board(steel) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(steel).get()


@pytest.fixture
def family(steel, site_of) -> tuple[Category, Category]:
    """A category of its own with one subcategory, and nothing listed in either yet."""
    site = site_of(steel)
    parent = Category.objects.create(site=site, name="Balance & Co", slug="balance-test")
    child = Category.objects.create(
        site=site, name="Balance bars", slug="balance-bars", parent=parent
    )
    return parent, child


def this_week() -> date:
    """The Monday of the week the test runs in (not the week the module was imported in)."""
    return week_start(timezone.localdate())


def monday(weeks_ago: int) -> datetime:
    """Midnight at the start of the week ``weeks_ago`` weeks before this one."""
    day = this_week() - timedelta(weeks=weeks_ago)
    return timezone.make_aware(datetime.combine(day, time.min))


def add(board, category, listings: list[tuple[type, str, str, datetime]]) -> list[TradeListingPage]:
    """Published listings of ``category``: ``(model, quantity, unit, first published at)``."""
    region = Region.objects.filter(site=category.site).first()
    count = TradeListingPage.objects.count()
    pages = [
        model(
            title=f"Balance listing {count}-{n}",
            slug=f"balance-listing-{count}-{n}",
            kind=model.listing_kind,
            category=category,
            region=region,
            description="Plenty of it.",
            quantity=Decimal(quantity),
            unit=unit,
            valid_until=date.today() + timedelta(days=30),
        )
        for n, (model, quantity, unit, _) in enumerate(listings)
    ]
    bulk_add_children(board, pages, [when for *_, when in listings])
    return pages


@pytest.fixture
def listed(board, family):
    """Known listings over the last weeks, and some that must not count."""
    parent, child = family
    add(
        board,
        parent,
        [
            (SellOfferPage, "100", "t", monday(0)),
            (SellOfferPage, "150", "t", monday(0) + timedelta(minutes=3)),
            (SellOfferPage, "999", "kg", monday(0) + timedelta(hours=1)),  # counted, not summed
            (BuyRequestPage, "50", "t", monday(0) + timedelta(hours=2)),
            (SellOfferPage, "70", "t", monday(3) + timedelta(days=2)),
            (SellOfferPage, "80", "t", monday(30)),  # before the weeks shown
        ],
    )
    add(
        board,
        child,
        [
            (BuyRequestPage, "10", "t", monday(1)),
            (BuyRequestPage, "20", "t", monday(0) - timedelta(minutes=1)),  # last Sunday night
        ],
    )
    closed, withdrawn, expired = add(
        board,
        child,
        [
            (SellOfferPage, "5", "t", monday(1) + timedelta(days=3)),
            (SellOfferPage, "500", "t", monday(1)),
            (BuyRequestPage, "7", "t", monday(2)),
        ],
    )
    TradeListingPage.objects.filter(pk=closed.pk).update(live=False, closed_on=date.today())
    TradeListingPage.objects.filter(pk=withdrawn.pk).update(live=False)  # by a moderator
    TradeListingPage.objects.filter(pk=expired.pk).update(live=False, expired=True)
    other = Category.objects.for_site(parent.site).exclude(pk__in=[parent.pk, child.pk]).first()
    add(board, other, [(BuyRequestPage, "1", "t", monday(0))])
    return parent


def test_weekly_counts_volumes_and_ratio_of_a_category_and_its_subcategories(board, listed):
    balance = category_balance(board, listed, unit_names={"t": "tonnes"})
    assert len(balance.weeks) == 26
    assert balance.weeks[-1].start == this_week()
    assert all(week.start.weekday() == 0 for week in balance.weeks)
    figures = {
        weeks_ago: (w.offers, w.requests, w.offered, w.requested, w.ratio)
        for weeks_ago, w in enumerate(reversed(balance.weeks))
        if w.offers or w.requests
    }
    assert figures == {
        0: (3, 1, Decimal(250), Decimal(50), 3.0),
        1: (1, 2, Decimal(5), Decimal(30), 0.5),  # the closed offer still counts
        2: (0, 1, Decimal(0), Decimal(7), 0.0),  # so does the expired request
        3: (1, 0, Decimal(70), Decimal(0), None),
    }
    assert balance.unit == "t"
    assert balance.unit_label == "tonnes (t)"
    assert balance.other_units == ("kg",)
    assert balance.summary == "Last 4 weeks: 5 offers, 4 requests — supply exceeds demand 1.2 : 1."


def test_each_moment_falls_in_the_week_django_truncates_it_to(board, family):
    """``WeekOf`` (in SQL on SQLite) agrees with Django's ``TruncWeek`` across a week's
    boundaries, to the second."""
    parent, _ = family
    moments = [monday(2) + timedelta(hours=h, minutes=59, seconds=59) for h in range(0, 200, 7)]
    moments += [monday(1), monday(1) - timedelta(seconds=1)]
    add(board, parent, [(SellOfferPage, "1", "t", moment) for moment in moments])
    listings = TradeListingPage.objects.filter(category=parent)
    ours = dict(listings.annotate(week=WeekOf("first_published_at")).values_list("pk", "week"))
    django = dict(listings.annotate(week=TruncWeek("first_published_at")).values_list("pk", "week"))
    assert ours == django
    assert set(ours.values()) == {monday(2), monday(1)}


def test_the_summary_names_the_side_that_leads():
    def summary(offers: int, requests: int) -> str:
        week = Week(this_week(), offers=offers, requests=requests)
        return Balance(category=Category(name="Rebar", slug="rebar"), weeks=(week,)).summary

    assert (
        summary(32, 18) == "Last 4 weeks: 32 offers, 18 requests — supply exceeds demand 1.8 : 1."
    )
    assert (
        summary(10, 16) == "Last 4 weeks: 10 offers, 16 requests — demand exceeds supply 1.6 : 1."
    )
    assert (
        summary(41, 40) == "Last 4 weeks: 41 offers, 40 requests — supply and demand are balanced."
    )
    assert summary(1, 0) == "Last 4 weeks: 1 offer, 0 requests — supply only."
    assert summary(0, 2) == "Last 4 weeks: 0 offers, 2 requests — demand only."
    assert summary(0, 0) == "Last 4 weeks: no new offers or requests."


def category_page(client, category: Category) -> str:
    response = client.get(f"/board/category/{category.slug}/", HTTP_HOST=host("steel"))
    assert response.status_code == 200
    return response.content.decode()


def chart_of(html: str) -> ET.Element:
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def test_the_category_page_charts_the_balance_with_its_table(client, listed):
    html = category_page(client, listed)
    assert "Last 4 weeks: 5 offers, 4 requests — supply exceeds demand 1.2 : 1." in html
    chart = chart_of(html)
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Supply and demand: Balance & Co"
    bars = [e for e in chart.iter(f"{SVG}rect") if e.find(f"{SVG}title") is not None]
    assert len(bars) == 2 * 26
    assert "Volumes in metric tonne (t); listings in kg are" in chart.find(f"{SVG}desc").text
    start = html.index('<details class="balance__table">')
    table = html[start : html.index("</details>", start)]
    assert '<th scope="col">Offered (t)</th>' in table
    newest = table[table.index("<tbody>") :].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in newest.split("<td>")[1:]]
    assert cells == ["3", "1", "3", "250", "50"]
    assert "Balance &amp; Co" in table


def test_the_chart_is_on_category_pages_only(client, listed, family):
    html = client.get("/board/", HTTP_HOST=host("steel")).content.decode()
    assert "Supply and demand" not in html
    assert "Supply and demand: Balance bars" in category_page(client, family[1])


def test_a_category_with_nothing_listed_says_so(client, family):
    html = category_page(client, family[1])
    assert "Last 4 weeks: no new offers or requests." in html
    assert "No data yet" in "".join(chart_of(html).itertext())
    assert 'class="balance__table"' not in html


def test_the_category_page_keeps_to_the_board_budget(client, listed):
    assert queries(client, f"/board/category/{listed.slug}/", HTTP_HOST=host("steel")) <= (
        BOARD_BUDGET
    )


def category_stamp(site, category: Category) -> str:
    targets = {t.path: t for t in portal_targets(site)}
    return targets[f"/board/category/{category.slug}/"].stamp


def test_a_new_offer_changes_the_category_pages_stamp(steel, site_of, board, listed):
    site = site_of(steel)
    before = category_stamp(site, listed)
    add(board, listed, [(SellOfferPage, "40", "t", timezone.now())])
    assert category_stamp(site, listed) != before


def test_a_change_only_the_chart_shows_purges_the_category_page(steel, site_of, board, listed):
    site = site_of(steel)
    previous = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in portal_targets(site)}
    offer = SellOfferPage.objects.filter(category=listed, quantity=100).get()
    SellOfferPage.objects.filter(pk=offer.pk).update(quantity=Decimal(120))  # only the volume
    changed = changed_paths(steel, portal_targets(site), previous)
    assert f"/board/category/{listed.slug}/" in changed
    assert not any(path.startswith("/board/balance-listing") for path in changed)
    # Only the first page of the category (and of its parent's, which charts its family).
    charted = {f"/board/category/{listed.slug}/"}
    if listed.parent_id:
        charted.add(f"/board/category/{listed.parent.slug}/")
    assert {path for path in changed if path.startswith("/board/")} <= charted
    assert not any(path.startswith("/feeds/") for path in changed)


def test_the_stamp_rolls_over_with_the_week(steel, listed):
    today = timezone.localdate()

    def charted(day):
        return {key[2]: parts for key, parts in first_page_balances(steel, day).items()}

    assert charted(today)[listed.slug] == charted(week_start(today))[listed.slug]
    assert charted(today)[listed.slug] != charted(today + timedelta(weeks=1))[listed.slug]
