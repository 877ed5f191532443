"""Bad input gets a clear answer, never a 500: ids out of range, control characters in search
parameters and one-line fields; a rate-limited script gets JSON; a real server error gets the
themed 500 page; a 410 is no warning."""

import logging
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.board.models import SellOfferPage, TradeListingPage
from tests.test_board import inquiry, live_offer, post_offer
from tests.test_permissions import edit_form

from .conftest import host, human

pytestmark = pytest.mark.django_db

TOO_BIG = "9223372036854775808"  # 2**63: overflows SQLite's integers


@pytest.fixture
def supplier(steel, make_member):
    return make_member(steel, "supplier")


@pytest.mark.parametrize(
    "url",
    [f"/market/listings/{TOO_BIG}/inquiry/", f"/market/listings/{TOO_BIG}/quote/"],
)
def test_out_of_range_ids_on_public_forms_are_404(client, steel, url):
    assert client.post(url, inquiry(), HTTP_HOST=host("steel")).status_code == 404


@pytest.mark.parametrize("action", ["edit", "renew", "close"])
def test_out_of_range_ids_in_the_member_area_are_404(client, steel, supplier, action):
    client.force_login(supplier.user)
    url = f"/members/listings/{TOO_BIG}/{action}/"
    assert client.post(url, {"reason": "closed"}, HTTP_HOST=host("steel")).status_code == 404
    accept = f"/members/quotes/{TOO_BIG}/accept/"
    assert client.post(accept, HTTP_HOST=host("steel")).status_code == 404


@pytest.mark.parametrize("params", [{"category": "\x00"}, {"region": "x\x00"}, {"kind": "\x00"}])
def test_control_characters_in_search_filters_are_ignored(client, steel, params):
    plain = client.get("/search/", {"q": "steel"}, HTTP_HOST=host("steel"))
    response = client.get("/search/", {"q": "steel", **params}, HTTP_HOST=host("steel"))
    assert response.status_code == 200
    count = 'class="result-count"'
    assert response.content.decode().count(count) == plain.content.decode().count(count)


def test_a_title_with_a_line_break_is_refused_and_nothing_is_lost(client, steel, supplier, site_of):
    client.force_login(supplier.user)
    before = SellOfferPage.objects.count()
    response = post_offer(client, steel, site_of, title="Rebar\r\nBcc: victim@example.com")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Keep this to one line" in page
    assert "Fresh mill stock." in page  # what was typed is still there
    assert SellOfferPage.objects.count() == before
    fine = post_offer(client, steel, site_of, description="Two lines\r\nare fine here.")
    assert fine.status_code == 302


def test_a_title_with_a_line_break_is_refused_in_the_admin(steel, admin_user):
    offer = SellOfferPage.objects.descendant_of(steel).first()
    form = edit_form(offer, admin_user, title="Rebar\r\nBcc: victim@example.com")
    assert not form.is_valid()
    assert "one line" in str(form.errors["title"])
    assert edit_form(offer, admin_user, title="Rebar, 12 mm").is_valid()


def test_a_rate_limited_script_gets_json(client, steel, supplier, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "inquiry": "1/h"}
    page = live_offer(steel, supplier)
    url = f"/market/listings/{page.pk}/inquiry/"
    client.post(url, inquiry(), HTTP_HOST=host("steel"), HTTP_ACCEPT="application/json")
    response = client.post(
        url, inquiry(message="Again"), HTTP_HOST=host("steel"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["ok"] is False and "try again later" in response.json()["message"]
    assert response["Retry-After"]


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_is_the_themed_500_page(steel):
    response = Client(raise_request_exception=False).get("/boom/", HTTP_HOST=host("steel"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and steel.title.split(" —")[0] in page


def test_a_gone_listing_logs_no_warning(client, steel, supplier, caplog):
    page = live_offer(steel, supplier)
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() - timedelta(days=1))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(page.url, HTTP_HOST=host("steel")).status_code == 410
    assert not [r for r in caplog.records if getattr(r, "status_code", None) == 410]


@pytest.mark.parametrize("url", ["/admin/login/", "/_util/login/"])
def test_password_forms_are_throttled_per_address_and_per_username(client, settings, url):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password": "5/h"}
    get_user_model().objects.create_user("steel-editor", "ed@example.org", "right-password")

    def attempt(password: str, address: str = "203.0.113.7", username: str = "steel-editor"):
        data = {"username": username, "password": password}
        return client.post(url, data, REMOTE_ADDR=address).status_code

    assert [attempt("wrong") for _ in range(5)] == [200] * 5
    assert attempt("wrong") == 429
    assert attempt("right-password") == 429  # locked, even with the right password
    assert attempt("right-password", address="198.51.100.9") == 429  # the account too
    assert attempt("anything", address="198.51.100.9", username="someone-else") != 429


def test_a_damaged_image_upload_is_a_form_error(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images.models import Image

    before = Image.objects.count()
    damaged = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100 + b"not an image" * 40
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Damaged", "file": SimpleUploadedFile("damaged.png", damaged, "image/png")},
    )
    assert response.status_code == 200
    assert "could not be read as an image" in response.content.decode()
    assert Image.objects.count() == before
    several = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("damaged.png", damaged, "image/png")},
    )
    assert several.status_code < 500
    assert Image.objects.count() == before


def test_a_start_token_is_good_for_one_submission_of_its_own_form(client, steel, supplier):
    from portal.board.models import Inquiry

    page = live_offer(steel, supplier)
    url = f"/market/listings/{page.pk}/inquiry/"
    token = client.get("/market/form-token/", HTTP_HOST=host("steel")).json()["started"]

    def send(message: str, address: str, started: str = token):
        data = inquiry(message=message, started=started)
        return client.post(url, data, HTTP_HOST=host("steel"), REMOTE_ADDR=address)

    assert send("First message", "203.0.113.1").status_code == 302
    again = send("Second message", "203.0.113.2")
    assert "already sent once" in again.content.decode()
    assert send("Third message", "203.0.113.3", inquiry()["started"]).status_code == 302
    other_form = human("listing")["started"]
    stale = send("Fourth message", "203.0.113.4", other_form)
    assert "came from elsewhere" in stale.content.decode()
    assert list(Inquiry.objects.filter(listing=page).values_list("message", flat=True)) == [
        "Third message",
        "First message",
    ]


def test_a_spent_token_stays_spent_when_the_cache_forgets(client, steel, supplier):
    from django.core.cache import cache

    page = live_offer(steel, supplier)
    url = f"/market/listings/{page.pk}/inquiry/"
    token = inquiry()["started"]
    first = client.post(url, inquiry(message="One", started=token), HTTP_HOST=host("steel"))
    assert first.status_code == 302
    # The cache evicts under load, and each worker process has one of its own without Redis.
    cache.clear()
    again = client.post(url, inquiry(message="Two", started=token), HTTP_HOST=host("steel"))
    assert "already sent once" in again.content.decode()


def test_restricted_pages_send_visitors_to_the_members_sign_in(client, steel):
    from wagtail.models import PageViewRestriction

    offer = SellOfferPage.objects.live().descendant_of(steel).first()
    PageViewRestriction.objects.create(page=offer, restriction_type="login")
    response = client.get(offer.url, HTTP_HOST=host("steel"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", ["quantity", "price_min", "moq"])
def test_a_listing_amount_of_zero_is_a_form_error(client, steel, supplier, site_of, name):
    client.force_login(supplier.user)
    before = SellOfferPage.objects.count()
    response = post_offer(client, steel, site_of, **{name: "0"})
    assert response.status_code == 200
    assert "greater than or equal to 0.001" in response.content.decode()
    assert SellOfferPage.objects.count() == before


@pytest.mark.parametrize("path", ["/board/%00/", "/members/listings/%00/renew/"])
def test_a_nul_in_a_path_is_a_404(client, steel, path):
    assert client.get(path, HTTP_HOST=host("steel")).status_code == 404
