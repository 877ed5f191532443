"""``demo_sponsored`` fills every portal the same way each time; saving or deleting a
sponsorship or house ad tells the page cache the portal changed, and the stamps of the
lists' first pages (what the static export and the purge compare) follow what the slots
show, and nothing else does."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from portal.core.changes import portal_changed
from portal.core.models import PortalHomePage
from portal.export.stamps import first_page_content, search_page_stamp
from portal.export.targets import portal_targets
from portal.pagecache.purge import changed_paths
from portal.sponsored.models import HouseAd, Sponsorship

from .conftest import (
    assert_labelled,
    board_of,
    house_ad,
    live_company,
    open_listing,
    site_for,
    soup,
    sponsor,
    sponsored_items,
    visitor,
)

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_portal_once(steel):
    call_command("demo_sponsored", verbosity=0)
    call_command("demo_sponsored", verbosity=0)
    homes = list(PortalHomePage.objects.all())
    assert Sponsorship.objects.count() == 2 * len(homes)
    assert HouseAd.objects.count() == len(homes)
    for home in homes:
        page = soup(visitor(home).get(board_of(home).url).content)
        assert len(sponsored_items(page)) == 2
        assert_labelled(page)
        assert page.select_one('section[aria-label="Advertisement"]') is not None


def test_changes_reach_the_page_cache_and_the_stamps(steel, django_capture_on_commit_callbacks):
    heard = []

    def listen(sender, site_ids, **kwargs):
        heard.append(set(site_ids))

    portal_changed.connect(listen)
    try:
        key = (board_of(steel).pk, None, None)  # the board's first page, unfiltered
        before = first_page_content(steel).get(key)
        with django_capture_on_commit_callbacks(execute=True):
            sponsorship = sponsor(open_listing(steel), steel)
        assert any(site_for(steel).pk in ids for ids in heard)
        with_one = first_page_content(steel).get(key)
        assert with_one != before
        with django_capture_on_commit_callbacks(execute=True):
            ad = house_ad(steel)
        assert first_page_content(steel).get(key) != with_one
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sponsorship.delete()
            ad.delete()
        assert any(site_for(steel).pk in ids for ids in heard)
        assert first_page_content(steel).get(key) == before
    finally:
        portal_changed.disconnect(listen)


def test_the_static_search_page_is_rebuilt_when_its_slots_change(steel):
    """The search page is not a page of the tree: its stamp comes from what the slots show
    there, so an incremental build rewrites it when a search sponsorship starts or ends."""
    before = search_page_stamp(steel)
    on_board_only = sponsor(open_listing(steel), steel, on_search=False)
    assert search_page_stamp(steel) == before
    on_search = sponsor(open_listing(steel, skip=1), steel, on_search=True)
    with_one = search_page_stamp(steel)
    assert with_one != before
    on_search.delete()
    on_board_only.delete()
    assert search_page_stamp(steel) == before


def test_a_sponsorship_changes_only_the_first_pages_that_show_it(steel):
    """The board's first page, its categories' and the search page show the slots; later
    pages, feeds and the other sections' lists are neither rebuilt nor purged when a
    sponsorship starts."""
    site = site_for(steel)
    previous = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in portal_targets(site)}
    listing = open_listing(steel)
    sponsor(listing, steel)
    changed = changed_paths(steel, portal_targets(site), previous)
    board = board_of(steel).url_path[len(steel.url_path) - 1 :]
    family = [listing.category, listing.category.parent]
    shown = {board} | {f"{board}category/{c.slug}/" for c in family if c is not None}
    assert changed == shown | {"/search/"}


@override_settings(SPONSORED_SLOTS=3)
def test_the_daily_rotation_changes_the_first_pages_only_when_sponsors_outnumber_slots(
    steel, monkeypatch
):
    key = (board_of(steel).pk, None, None)
    tomorrow = timezone.localdate() + timedelta(days=1)

    def shown_on(day=None):
        if day is not None:
            monkeypatch.setattr(timezone, "localdate", lambda *args: day)
        return first_page_content(steel)[key]

    for skip in range(3):
        sponsor(open_listing(steel, skip=skip), steel, on_categories=False)
    today = shown_on()
    assert shown_on(tomorrow) == today
    monkeypatch.undo()
    sponsor(open_listing(steel, skip=3), steel, on_categories=False)
    today = shown_on()
    assert shown_on(tomorrow) != today


def test_a_sponsored_company_renamed_purges_the_board_first_page(steel):
    """The board does not list companies; its slots show one, so its first page follows the
    company's page."""
    site = site_for(steel)
    company = live_company(steel)
    sponsor(company, steel, on_search=False, on_categories=False)
    previous = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in portal_targets(site)}
    company.title = "Renamed Sponsor Steelworks"
    company.save_revision().publish()
    changed = changed_paths(steel, portal_targets(site), previous)
    assert board_of(steel).url_path[len(steel.url_path) - 1 :] in changed
