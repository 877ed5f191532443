"""Sponsored items show at the top of the board, its category pages and search results,
always labelled "Sponsored" with on whose behalf and who paid, apart from the organic list,
and only while scheduled; house ads show in their own labelled slot."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from portal.sponsored import slots

from .conftest import (
    assert_labelled,
    board_of,
    house_ad,
    live_company,
    open_listing,
    soup,
    sponsor,
    sponsored_items,
    today,
    visitor,
)

pytestmark = pytest.mark.django_db


def board_page(home, path: str = "") -> str:
    response = visitor(home).get(board_of(home).url + path)
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    return [item.h3.get_text(strip=True) for item in sponsored_items(soup(html))]


def organic(html: str) -> tuple[str, list[str]]:
    """The organic list as visitors read it: its count line and its items' titles."""
    page = soup(html)
    count = " ".join(page.select_one(".result-count").get_text().split())
    return count, [card.h3.get_text(strip=True) for card in page.select(".card-grid .card")]


def test_a_sponsored_listing_leads_the_board_labelled_and_apart(steel, listing):
    before = organic(board_page(steel))
    sponsor(listing, steel)
    html = board_page(steel)
    page = soup(html)
    assert titles(html) == [listing.title]
    assert_labelled(page)
    text = " ".join(sponsored_items(page)[0].get_text(" ").split())
    assert "Sponsored on behalf of Acme Foundry Ltd · paid by Acme Holdings plc" in text
    # Above the organic list, which is the same as without the sponsorship.
    section = page.select_one('section[aria-label="Sponsored"]')
    assert section.sourceline < page.select_one(".card-grid").sourceline
    assert organic(html) == before


def test_category_pages_show_the_items_of_the_category_and_its_parents(steel, listing):
    sponsor(listing, steel, on_board=False)
    category = listing.category
    assert titles(board_page(steel)) == []
    assert titles(board_page(steel, f"category/{category.slug}/")) == [listing.title]
    if category.parent_id:
        assert titles(board_page(steel, f"category/{category.parent.slug}/")) == [listing.title]
    other = (
        type(category)
        .objects.filter(site=category.site, parent__isnull=True)
        .exclude(pk__in=[category.pk, category.parent_id or 0])
        .first()
    )
    assert titles(board_page(steel, f"category/{other.slug}/")) == []


def test_a_sponsored_company_shows_in_search_results_not_among_them(steel):
    company = live_company(steel)
    sponsor(company, steel, on_board=False, on_categories=False)
    response = visitor(steel).get("/search/", {"q": company.title.split()[0]})
    page = soup(response.content)
    assert [item.h3.get_text(strip=True) for item in sponsored_items(page)] == [company.title]
    assert_labelled(page)
    assert titles(board_page(steel)) == []


def test_only_scheduled_days_and_open_listings_show(steel, listing, monkeypatch):
    day = today()  # asked before timezone.localdate, which today() calls, is patched below
    later = open_listing(steel, skip=1)
    sponsor(later, steel, starts=day + timedelta(days=2), ends=day + timedelta(days=3))
    assert titles(board_page(steel)) == []
    monkeypatch.setattr(timezone, "localdate", lambda *a: day + timedelta(days=2))
    assert titles(board_page(steel)) == [later.title]
    monkeypatch.setattr(timezone, "localdate", lambda *a: day + timedelta(days=4))
    assert titles(board_page(steel)) == []

    monkeypatch.undo()
    sponsor(listing, steel)
    assert titles(board_page(steel)) == [listing.title]
    listing.closed_on = day
    listing.save_revision().publish()
    assert titles(board_page(steel)) == []


@override_settings(SPONSORED_SLOTS=2)
def test_at_most_the_configured_slots_show(steel):
    for skip in range(4):
        sponsor(open_listing(steel, skip=skip), steel)
    shown = titles(board_page(steel))
    assert len(shown) == 2
    assert_labelled(soup(board_page(steel)))


def test_a_house_ad_has_its_own_labelled_slot(steel, listing):
    house_ad(steel)
    page = soup(board_page(steel))
    ad = page.select_one('section[aria-label="Advertisement"]')
    assert "Meet us at the annual fair" in ad.get_text()
    assert "Advertisement" in ad.get_text() and f"from {steel.title}" in ad.get_text()
    assert sponsored_items(page) == []
    assert ad.find_parent(class_="card-grid") is None


def test_no_sponsorship_without_advertiser_and_payer_or_of_another_portal(steel, textiles):
    with pytest.raises(ValidationError) as error:
        sponsor(open_listing(steel), steel, advertiser="", payer="")
    assert {"advertiser", "payer"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        sponsor(open_listing(textiles), steel)
    assert "page" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        sponsor(open_listing(steel), steel, starts=today(), ends=today() - timedelta(days=1))
    assert "ends_on" in error.value.message_dict


def test_every_slot_the_macro_renders_carries_the_label(steel, rf):
    """The one template that renders sponsored items never renders one without its label,
    whatever the item says."""
    from themes.environment import environment

    slot = slots.Slot(
        token="s1.x", title="<b>X</b>", url="/x/", kicker="", summary="", advertiser="A", payer="B"
    )
    env = environment()
    template = env.from_string(
        '{% from "sponsored/_slots.html" import slots_of with context %}{{ slots_of(s) }}'
    )
    request = rf.get("/", HTTP_HOST="steel.localhost:8000")
    html = template.render(s=slots.Slots([slot], None), request=request, portal=None)
    assert_labelled(soup(html))
    assert "<b>X</b>" not in html
