"""Impressions and clicks are counted by the portal itself: no cookie, nothing a cache keeps,
a click goes only to the item's own page, a bad or another portal's id is a 404, bots and
floods are not counted."""

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.sponsored.models import DailyCount
from portal.sponsored.tokens import sign

from .conftest import house_ad, soup, sponsor, sponsored_items, today, visitor

pytestmark = pytest.mark.django_db


def counted(item) -> tuple[int, int]:
    row = (
        DailyCount.objects.filter(day=today())
        .filter(
            sponsorship=item if hasattr(item, "payer") else None,
            house_ad=None if hasattr(item, "payer") else item,
        )
        .first()
    )
    return (row.impressions, row.clicks) if row else (0, 0)


def assert_private(response) -> None:
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_the_board_page_counts_through_its_own_pixel_and_link(steel, listing):
    sponsorship = sponsor(listing, steel)
    client = visitor(steel)
    item = sponsored_items(soup(client.get(listing.get_parent().url).content))[0]
    pixel, link = item.select_one("img.sponsored-seen")["src"], item.h3.a["href"]
    token = sign("s", sponsorship.pk)
    assert pixel == reverse("sponsored:seen", args=[token])
    assert link == reverse("sponsored:go", args=[token])
    assert "cookie" not in str(item).lower() and "http" not in pixel + link

    for _ in range(3):
        response = client.get(pixel)
        assert response.status_code == 200 and response["Content-Type"] == "image/gif"
        assert_private(response)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == listing.get_url_parts()[2]
    assert_private(response)
    assert counted(sponsorship) == (3, 1)
    assert DailyCount.objects.count() == 1  # one row per item and day


def test_a_ping_from_a_static_copy_counts_a_click(steel, listing):
    sponsorship = sponsor(listing, steel)
    response = visitor(steel).post(
        reverse("sponsored:go", args=[sign("s", sponsorship.pk)]),
        content_type="text/ping",
        data="PING",
        HTTP_ORIGIN="https://steel.example.org",
    )
    assert response.status_code == 204
    assert_private(response)
    assert counted(sponsorship) == (0, 1)


def test_a_house_ad_click_goes_to_its_link(steel):
    ad = house_ad(steel, link_page=None, link_url="https://association.example.org/fair")
    response = visitor(steel).get(reverse("sponsored:go", args=[sign("h", ad.pk)]))
    assert response.status_code == 302
    assert response["Location"] == "https://association.example.org/fair"
    assert counted(ad) == (0, 1)


def test_bad_tampered_and_other_portal_ids_are_404(steel, textiles, listing):
    sponsorship = sponsor(listing, steel)
    token = sign("s", sponsorship.pk)
    forged = token.replace(f"s{sponsorship.pk}.", f"s{sponsorship.pk + 1}.")
    for bad in (forged, "s1", "nonsense", token + "x", sign("x", sponsorship.pk)):
        for name in ("sponsored:seen", "sponsored:go"):
            assert visitor(steel).get(reverse(name, args=[bad])).status_code == 404, bad
    # A valid id on another portal's host is not that portal's item.
    assert visitor(textiles).get(reverse("sponsored:go", args=[token])).status_code == 404
    # Redirects only ever go to the item's own URL: there is no parameter to pass another.
    response = visitor(steel).get(
        reverse("sponsored:go", args=[token]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == listing.get_url_parts()[2]
    assert counted(sponsorship) == (0, 1)


def test_bots_are_not_counted(steel, listing):
    sponsorship = sponsor(listing, steel)
    pixel = reverse("sponsored:seen", args=[sign("s", sponsorship.pk)])
    for agent in ("Googlebot/2.1", "curl/8.0", ""):
        assert visitor(steel, HTTP_USER_AGENT=agent).get(pixel).status_code == 200
    assert counted(sponsorship) == (0, 0)


@override_settings(RATE_LIMITS={"sponsored": "2/h"})
def test_an_address_is_counted_up_to_its_limit(steel, listing):
    sponsorship = sponsor(listing, steel)
    pixel = reverse("sponsored:seen", args=[sign("s", sponsorship.pk)])
    client = visitor(steel)
    for _ in range(5):
        assert client.get(pixel).status_code == 200
    assert counted(sponsorship) == (2, 0)
