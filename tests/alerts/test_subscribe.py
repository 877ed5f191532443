"""Alerts by email alone: double opt-in, the defences of public forms, the signed pages."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.alerts import links
from portal.alerts.models import Alert

from ..conftest import human
from .support import STEEL, TEXTILES, board_of, open_listing, publish_now, save_alert


@pytest.fixture
def listing(steel):
    return open_listing(steel)


def subscribe(client: Client, data: dict, **headers):
    return client.post("/alerts/subscribe/", data, HTTP_HOST=STEEL, **headers)


def board_url(home, listing) -> str:
    return f"/{board_of(home).slug}/category/{listing.category.slug}/"


def signed_link(message, purpose: str) -> str:
    return re.search(rf"https?://\S+(/alerts/{purpose}/\S+/)", message.body)[1]


def test_nothing_is_sent_until_the_address_is_confirmed(client, steel, listing, send):
    data = human(
        "alert", url=board_url(steel, listing), email="ann@example.com", frequency="instant"
    )
    response = subscribe(client, data)
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["ann@example.com"] and "Confirm" in confirmation.subject
    publish_now(listing)
    assert send().emails == 0  # not confirmed yet
    confirm = client.get(signed_link(confirmation, "confirm"), HTTP_HOST=STEEL)
    assert confirm.status_code == 302 and "/alerts/manage/" in confirm["Location"]
    publish_now(listing)
    assert send().emails == 1
    assert mail.outbox[-1].to == ["ann@example.com"]


def test_a_static_copy_subscribes_without_a_csrf_token(steel, listing, settings):
    settings.STATIC_SITE_ORIGINS = ["https://*.example.org"]
    client = Client(enforce_csrf_checks=True)
    data = human("alert", url=board_url(steel, listing), email="ann@example.com")
    response = subscribe(
        client, data, HTTP_ORIGIN="https://steel.example.org", HTTP_ACCEPT="application/json"
    )
    assert response.json()["ok"] is True, response.json()
    assert response["Access-Control-Allow-Origin"] == "https://steel.example.org"
    token = client.get(
        "/alerts/form-token/", HTTP_HOST=STEEL, HTTP_ORIGIN="https://steel.example.org"
    )
    assert token.json()["started"]
    assert token["Access-Control-Allow-Origin"] == "https://steel.example.org"


def test_other_origins_need_a_csrf_token(steel, listing):
    client = Client(enforce_csrf_checks=True)
    data = human("alert", url=board_url(steel, listing), email="ann@example.com")
    response = subscribe(client, data, HTTP_ORIGIN="https://elsewhere.test")
    assert response.status_code == 403 and not Alert.objects.exists()


def test_the_honeypot_and_the_fill_time_turn_bots_away(client, steel, listing, settings):
    data = human("alert", url=board_url(steel, listing), email="bot@example.com", website="x")
    response = subscribe(client, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and not Alert.objects.exists()
    settings.FORM_MIN_FILL_SECONDS = 3600
    data = human("alert", url=board_url(steel, listing), email="bot@example.com")
    assert subscribe(client, data, HTTP_ACCEPT="application/json").status_code == 400
    assert mail.outbox == []


def test_sign_ups_are_rate_limited(client, steel, listing, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "alert": "2/h"}
    codes = [
        subscribe(
            client,
            human("alert", url=board_url(steel, listing), email=f"n{i}@example.com"),
            HTTP_ACCEPT="application/json",
        ).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_without_script_the_form_asks_to_confirm_with_a_fresh_token(client, steel, listing):
    data = {"url": board_url(steel, listing), "email": "ann@example.com", "started": ""}
    response = subscribe(client, data)
    html = response.content.decode()
    assert response.status_code == 400 and "Please check your alert" in html
    assert 'value="ann@example.com"' in html and not Alert.objects.exists()


def test_the_control_on_a_shared_page_carries_nothing_personal(client, steel, listing, settings):
    settings.PAGE_CACHE = "django"
    response = client.get(board_url(steel, listing), HTTP_HOST=STEEL)
    html = response.content.decode()
    assert 'action="/alerts/subscribe/"' in html and "data-live-form" in html
    assert 'name="category"' in html and "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_the_search_page_offers_to_save_the_search(client, steel):
    html = client.get("/search/?q=steel&kind=sell", HTTP_HOST=STEEL).content.decode()
    assert "Save this search" in html and 'value="/search/?q=steel&amp;kind=sell"' in html


def test_the_manage_page_changes_pauses_and_unsubscribes(client, steel, listing):
    subscribe(client, human("alert", url=board_url(steel, listing), email="ann@example.com"))
    alert = Alert.objects.get()
    url = f"/alerts/manage/{links.sign(alert, links.MANAGE)}/"
    assert client.get(url, HTTP_HOST=STEEL).status_code == 200
    client.post(url, {"save": "1", "frequency": "weekly"}, HTTP_HOST=STEEL)
    client.post(url, {"pause": "1"}, HTTP_HOST=STEEL)
    alert.refresh_from_db()
    assert alert.frequency == "weekly" and alert.paused_at is not None
    client.post(url, {"unsubscribe": "1"}, HTTP_HOST=STEEL)
    alert.refresh_from_db()
    assert alert.unsubscribed_at is not None
    assert client.get(url, HTTP_HOST=STEEL).status_code == 404


def test_one_click_unsubscribe_needs_no_token_or_page(steel, listing, send):
    client = Client(enforce_csrf_checks=True)
    alert = save_alert(steel, url=board_url(steel, listing))
    url = links.link(alert, links.UNSUBSCRIBE).split(STEEL, 1)[1]
    page = client.get(url, HTTP_HOST=STEEL)
    assert page.status_code == 200 and Alert.objects.active().exists()  # a GET changes nothing
    response = client.post(
        url, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded", HTTP_HOST=STEEL
    )
    assert response.status_code == 200
    assert not Alert.objects.active().exists()
    publish_now(listing)
    assert send().emails == 0


@pytest.mark.parametrize("purpose", ["confirm", "manage", "unsubscribe"])
def test_a_bad_or_foreign_token_is_a_404(client, steel, listing, purpose):
    alert = save_alert(steel, url=board_url(steel, listing))
    wrong = "manage" if purpose != "manage" else "confirm"
    for token in ("nonsense", "a" * 300, links.sign(alert, wrong)):
        response = client.get(f"/alerts/{purpose}/{token}/", HTTP_HOST=STEEL)
        assert response.status_code == 404


def test_the_private_feed_lists_matching_listings(client, steel, textiles, listing):
    alert = save_alert(steel, url=board_url(steel, listing))
    response = client.get(f"/alerts/{alert.feed_token}/atom.xml", HTTP_HOST=STEEL)
    assert response.status_code == 200 and b"http://www.w3.org/2005/Atom" in response.content
    assert listing.title.encode() in response.content
    assert "private" in response["Cache-Control"]
    assert client.get("/alerts/nope/atom.xml", HTTP_HOST=STEEL).status_code == 404
    other = client.get(f"/alerts/{alert.feed_token}/atom.xml", HTTP_HOST=TEXTILES)
    assert other.status_code == 404  # not on another portal


def test_an_expired_confirmation_link_is_a_404(client, steel, listing, monkeypatch):
    alert = save_alert(steel, url=board_url(steel, listing))
    token = links.sign(alert, links.CONFIRM)
    monkeypatch.setattr(links, "CONFIRM_MAX_AGE", -1)
    assert client.get(f"/alerts/confirm/{token}/", HTTP_HOST=STEEL).status_code == 404


def test_the_feed_leaves_out_closed_listings(client, steel, listing):
    from datetime import timedelta

    from django.utils import timezone

    from portal.board.models import TradeListingPage

    alert = save_alert(steel, url=board_url(steel, listing))
    yesterday = timezone.localdate() - timedelta(days=1)
    TradeListingPage.objects.filter(pk=listing.pk).update(closed_on=yesterday)
    response = client.get(f"/alerts/{alert.feed_token}/atom.xml", HTTP_HOST=STEEL)
    assert response.status_code == 200 and listing.title.encode() not in response.content
