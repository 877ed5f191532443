"""``demo_sponsored`` fills every portal the same way each time; saving or deleting a
sponsorship or house ad tells the page cache the portal changed, and the board's stamp
(what the static export and the purge compare) follows what the slots show."""

import pytest
from django.core.management import call_command

from portal.core.changes import portal_changed
from portal.core.models import PortalHomePage
from portal.export.stamps import search_page_stamp, shown_content
from portal.sponsored.models import HouseAd, Sponsorship

from .conftest import (
    assert_labelled,
    board_of,
    house_ad,
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
        board = board_of(steel)
        before = shown_content(steel).get(board.pk)
        with django_capture_on_commit_callbacks(execute=True):
            sponsorship = sponsor(open_listing(steel), steel)
        assert any(site_for(steel).pk in ids for ids in heard)
        with_one = shown_content(steel).get(board.pk)
        assert with_one != before
        with django_capture_on_commit_callbacks(execute=True):
            ad = house_ad(steel)
        assert shown_content(steel).get(board.pk) != with_one
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sponsorship.delete()
            ad.delete()
        assert any(site_for(steel).pk in ids for ids in heard)
        assert shown_content(steel).get(board.pk) == before
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
