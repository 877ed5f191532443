"""Each portal's editors manage their own portal's sponsorships and house ads, and read its
placement report; another portal's staff get 404 for every URL of them, visitors the
sign-in page. A plan's featured slot is taken only while the plan has one."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from portal.plans import quotas
from portal.sponsored.models import DailyCount, HouseAd, Sponsorship

from .conftest import (
    board_of,
    house_ad,
    live_company,
    open_listing,
    site_for,
    sponsor,
    staff,
    staff_client,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(steel, textiles):
    """A sponsorship and a house ad on each portal."""
    return {
        home.industry_slug: (sponsor(open_listing(home), home), house_ad(home))
        for home in (steel, textiles)
    }


def object_urls(sponsorship, ad) -> list[str]:
    urls = []
    for prefix, item in (("sponsorships", sponsorship), ("housead", ad)):
        urls += [
            reverse(f"{prefix}:{name}", args=[item.pk])
            for name in ("edit", "delete", "history", "usage")
        ]
    return urls


def form_data(home, page, **fields) -> dict:
    return {
        "site": site_for(home).pk,
        "page": page.pk,
        "on_board": "on",
        "on_search": "on",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=7)).isoformat(),
        "advertiser": "Northern Mills",
        "payer": "Northern Mills Group",
        "payment_reference": "INV-7",
        **fields,
    }


def test_another_portals_editor_reaches_nothing(items, steel):
    client = staff_client(staff(steel, "steel-editor"))
    sponsorship, ad = items["textiles"]
    for url in object_urls(sponsorship, ad):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"advertiser": "x"}).status_code == 404, url
    assert Sponsorship.objects.filter(pk=sponsorship.pk, advertiser="Acme Foundry Ltd").exists()
    listed = client.get(reverse("sponsorships:index")).content.decode()
    mine, _ = items["steel"]
    assert mine.page.title in listed and sponsorship.page.title not in listed


def test_an_editor_edits_their_own(items, steel):
    client = staff_client(staff(steel, "steel-moderator", role="moderators"))
    sponsorship, ad = items["steel"]
    for url in object_urls(sponsorship, ad):
        assert client.get(url).status_code == 200, url


def test_visitors_are_sent_to_sign_in(items):
    sponsorship, ad = items["steel"]
    from django.test import Client

    client = Client(HTTP_HOST="localhost:8000")
    for url in [reverse("sponsorships:index"), *object_urls(sponsorship, ad)]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_an_editor_adds_a_sponsorship_of_their_portal_only(steel, textiles):
    editor = staff(steel, "steel-adder")
    client = staff_client(editor)
    company = live_company(steel)
    response = client.post(reverse("sponsorships:add"), form_data(steel, company))
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Sponsorship.objects.get(page=company)
    assert made.created_by == editor and made.payer == "Northern Mills Group"

    foreign = live_company(textiles)
    response = client.post(reverse("sponsorships:add"), form_data(steel, foreign))
    assert response.status_code == 200
    assert not Sponsorship.objects.filter(page=foreign).exists()
    response = client.post(
        reverse("sponsorships:add"), form_data(textiles, live_company(textiles, skip=1))
    )
    assert response.status_code == 200
    assert Sponsorship.objects.filter(site=site_for(textiles)).count() == 0


def test_a_plan_without_featured_slots_refuses_one(steel):
    company = live_company(steel, skip=2)
    if quotas.remaining(company, "featured_slots") != 0:
        pytest.skip("the demo company's plan has featured slots")
    client = staff_client(staff(steel, "steel-planner"))
    response = client.post(
        reverse("sponsorships:add"), form_data(steel, company, uses_plan_slot="on")
    )
    assert response.status_code == 200
    assert "featured slots" in response.content.decode()
    assert not Sponsorship.objects.filter(page=company).exists()
    # Without the plan's slot (paid separately), it is booked.
    response = client.post(reverse("sponsorships:add"), form_data(steel, company))
    assert response.status_code == 302


def test_a_house_ad_is_added_for_a_section_of_the_portal(steel, textiles):
    client = staff_client(staff(steel, "steel-ads"))
    data = {
        "site": site_for(steel).pk,
        "title": "Annual fair",
        "text": "Hall 3.",
        "link_url": "https://fair.example.org/",
        "starts_on": today().isoformat(),
        "ends_on": today().isoformat(),
        "live": "on",
    }
    response = client.post(reverse("housead:add"), {**data, "section": board_of(textiles).pk})
    assert response.status_code == 200 and not HouseAd.objects.exists()
    response = client.post(reverse("housead:add"), {**data, "section": board_of(steel).pk})
    assert response.status_code == 302
    assert HouseAd.objects.get().section_id == board_of(steel).pk


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_placement_report_shows_own_portal_counts_as_csv(items, steel):
    for sponsorship, _ in items.values():
        DailyCount.objects.create(
            site=sponsorship.site, sponsorship=sponsorship, day=today(), impressions=200, clicks=5
        )
        DailyCount.objects.create(
            site=sponsorship.site,
            sponsorship=sponsorship,
            day=today() - timedelta(days=1),
            impressions=50,
            clicks=0,
        )
    client = staff_client(staff(steel, "steel-reader"))
    response = client.get(reverse("sponsored_reports:placement"), {"export": "csv"})
    assert response.status_code == 200
    rows = read_csv(response)
    mine, _ = items["steel"]
    assert [row["Item"] for row in rows] == [mine.page.title]
    assert rows[0]["Impressions"] == "250" and rows[0]["Clicks"] == "5"
    assert rows[0]["Click-through rate"] == "2.0%"
    assert rows[0]["Paid by"] == "Acme Holdings plc"
    response = client.get(
        reverse("sponsored_reports:placement"), {"export": "csv", "since": today().isoformat()}
    )
    assert read_csv(response)[0]["Impressions"] == "200"


def test_the_plan_counts_running_featured_slots_only(steel):
    company = live_company(steel, skip=3)
    listing = open_listing(steel)
    listing.company = company
    listing.save_revision().publish()
    sponsor(company, steel)  # paid separately: no slot
    assert quotas.used(company, "featured_slots") == 0
    sponsor(listing, steel, uses_plan_slot=True)
    sponsor(
        company,
        steel,
        uses_plan_slot=True,
        starts=today() - timedelta(days=9),
        ends=today() - timedelta(days=1),
    )  # ended
    assert quotas.used(company, "featured_slots") == 1
