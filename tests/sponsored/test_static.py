"""The static copy shows the sponsored slots as the live site does: labelled, above the
organic list, on the board's pages and the search page; the counters point at the live site
and a click goes to the copy's own page. A scheduled sponsorship appears at the first build
on its start date and is gone at the first build after its end date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.sponsored.tokens import sign

from ..support import STATIC_LIVE, build_static
from .conftest import assert_labelled, board_of, open_listing, soup, sponsor, sponsored_items, today

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.export]


def board_file(out, home):
    return out / "steel.localhost" / board_of(home).slug / "index.html"


def test_the_static_copy_shows_labelled_slots_counted_by_the_live_site(steel, tmp_path):
    listing = open_listing(steel)
    sponsorship = sponsor(listing, steel)
    out = tmp_path / "static"
    build_static(out)
    token = sign("s", sponsorship.pk)
    for path in (board_file(out, steel), out / "steel.localhost" / "search" / "index.html"):
        page = soup(path.read_text())
        assert_labelled(page)
        [item] = sponsored_items(page)
        assert item.h3.get_text(strip=True) == listing.title
        pixel = item.select_one("img.sponsored-seen")["src"]
        assert pixel == f"{STATIC_LIVE}/sponsored/seen/{token}.gif"
        link = item.h3.a
        assert link["ping"] == f"{STATIC_LIVE}/sponsored/go/{token}/"
        assert not link["href"].startswith(STATIC_LIVE)
        assert link["href"].rstrip("/").endswith(listing.slug)


def test_a_scheduled_sponsorship_comes_and_goes_with_its_dates(steel, tmp_path, monkeypatch):
    listing = open_listing(steel, skip=1)
    starts, ends = today() + timedelta(days=1), today() + timedelta(days=2)
    sponsor(listing, steel, starts=starts, ends=ends)
    out = tmp_path / "static"

    def shown_on(day) -> list[str]:
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)
        build_static(out)
        page = soup(board_file(out, steel).read_text())
        assert_labelled(page)
        return [item.h3.get_text(strip=True) for item in sponsored_items(page)]

    assert shown_on(today()) == []
    assert shown_on(starts) == [listing.title]
    assert shown_on(ends + timedelta(days=1)) == []
