"""A member's alerts: saved from a page, listed and managed in the member area, and nobody
else's, on this portal or another."""

import pytest
from django.core import mail

from portal.alerts.models import Alert

from .support import STEEL, TEXTILES, board_of, open_listing, publish_now, save_alert


@pytest.fixture
def listing(steel):
    return open_listing(steel)


def test_a_member_saves_a_search_and_gets_its_listings(client, steel, listing, make_member, send):
    member = make_member(steel, "ann")
    client.force_login(member.user)
    url = f"/{board_of(steel).slug}/region/{listing.region.code}/"
    page = client.get("/alerts/new/", {"url": url}, HTTP_HOST=STEEL)
    assert "Save to my alerts" in page.content.decode()
    response = client.post(
        "/members/saved-alerts/new/", {"url": url, "frequency": "instant"}, HTTP_HOST=STEEL
    )
    assert response.status_code == 302
    alert = Alert.objects.get(membership=member)
    assert alert.is_active and listing.region.name in alert.label
    publish_now(listing)
    send()
    (message,) = mail.outbox
    assert message.to == [member.user.email] and "/members/saved-alerts/" in message.body


def test_the_dashboard_lists_the_alerts_tool(client, steel, make_member):
    member = make_member(steel, "ann")
    client.force_login(member.user)
    dashboard = client.get("/members/", HTTP_HOST=STEEL).content.decode()
    assert "/members/saved-alerts/" in dashboard


def test_members_manage_their_alerts(client, steel, listing, make_member):
    member = make_member(steel, "ann")
    alert = save_alert(steel, member=member, url="/search/")
    client.force_login(member.user)
    listing_page = client.get("/members/saved-alerts/", HTTP_HOST=STEEL).content.decode()
    assert alert.label in listing_page and f"/alerts/{alert.feed_token}/atom.xml" in listing_page
    client.post(f"/members/saved-alerts/{alert.pk}/pause/", {"paused": "1"}, HTTP_HOST=STEEL)
    alert.refresh_from_db()
    assert alert.paused_at is not None
    client.post(
        f"/members/saved-alerts/{alert.pk}/",
        {"frequency": "weekly", "excluded_regions": [listing.region_id]},
        HTTP_HOST=STEEL,
    )
    alert.refresh_from_db()
    assert alert.frequency == "weekly" and alert.excluded_regions == [listing.region_id]
    client.post(f"/members/saved-alerts/{alert.pk}/delete/", HTTP_HOST=STEEL)
    alert.refresh_from_db()
    assert alert.unsubscribed_at is not None


def test_one_members_alerts_are_not_anothers(client, steel, make_member):
    owner, other = make_member(steel, "ann"), make_member(steel, "bob")
    alert = save_alert(steel, member=owner, url="/search/")
    client.force_login(other.user)
    assert alert.label not in client.get("/members/saved-alerts/", HTTP_HOST=STEEL).content.decode()
    for path in (f"/members/saved-alerts/{alert.pk}/", f"/members/saved-alerts/{alert.pk}/pause/"):
        assert (
            client.post(path, {"paused": "1", "frequency": "weekly"}, HTTP_HOST=STEEL).status_code
            == 404
        )
    alert.refresh_from_db()
    assert alert.paused_at is None and alert.frequency == "instant"


def test_a_member_of_another_portal_cannot_see_or_change_them(client, steel, textiles, make_member):
    owner = make_member(steel, "ann")
    alert = save_alert(steel, member=owner, url="/search/")
    elsewhere = make_member(textiles, "cat")
    client.force_login(elsewhere.user)
    # On the other portal, the member area holds only that portal's alerts ...
    page = client.get("/members/saved-alerts/", HTTP_HOST=TEXTILES).content.decode()
    assert alert.label not in page
    assert (
        client.post(f"/members/saved-alerts/{alert.pk}/delete/", HTTP_HOST=TEXTILES).status_code
        == 404
    )
    # ... and on this one, they are not a member.
    response = client.post(f"/members/saved-alerts/{alert.pk}/delete/", HTTP_HOST=STEEL)
    assert response.status_code == 302 and "/members/join/" in response["Location"]
    alert.refresh_from_db()
    assert alert.unsubscribed_at is None


def test_the_same_person_in_two_portals_sees_each_portals_alerts_there(
    client, steel, textiles, make_member, site_of
):
    from portal.members.models import Membership

    owner = make_member(steel, "ann")
    Membership.objects.create(user=owner.user, site=site_of(textiles))
    alert = save_alert(steel, member=owner, url="/search/")
    client.force_login(owner.user)
    assert alert.label in client.get("/members/saved-alerts/", HTTP_HOST=STEEL).content.decode()
    assert client.get(f"/members/saved-alerts/{alert.pk}/", HTTP_HOST=TEXTILES).status_code == 404


def test_a_member_sets_a_price_alert_from_a_series_page(client, steel, make_member):
    from portal.prices.models import PriceSeriesPage

    series = PriceSeriesPage.objects.live().descendant_of(steel).order_by("pk").first()
    page = client.get(series.url, HTTP_HOST=STEEL).content.decode()
    assert f'name="series" value="{series.pk}"' in page and 'name="threshold"' in page
    member = make_member(steel, "ann")
    client.force_login(member.user)
    data = {"series": series.pk, "direction": "below", "threshold": "450"}
    assert client.post("/members/saved-alerts/new/", data, HTTP_HOST=STEEL).status_code == 302
    alert = Alert.objects.get(membership=member)
    assert alert.kind == "price" and "falls below 450" in alert.label


def test_a_company_page_offers_to_follow_it(client, steel):
    from portal.directory.models import CompanyPage

    company = CompanyPage.objects.live().descendant_of(steel).order_by("pk").first()
    html = client.get(company.url, HTTP_HOST=STEEL).content.decode()
    assert f"Follow {company.title}" in html and f'name="company" value="{company.pk}"' in html
