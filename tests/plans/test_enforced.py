"""Quotas where members create things: the posting form keeps what was typed and says why,
the API answers 409 naming the limit, a batch is all or none, a quote over the weekly limit
is refused; nothing is saved in any of these."""

import pytest

from portal.board import lifecycle
from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
from portal.plans import quotas

from ..api.conftest import Api, listing_body
from ..conftest import host
from ..test_board import offer_data, quote
from .conftest import make_plan, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(steel, make_member):
    return make_member(steel, "supplier")


def full(membership, home, **limits):
    """Put the member's company on a plan that is full for the given quotas."""
    company = membership.company
    used = {quota: quotas.used(company, quota) for quota in limits}
    values = {quota: used[quota] + extra for quota, extra in limits.items()}
    subscribe(company, make_plan(home, "tight", **values))


def test_over_quota_posting_keeps_the_input_and_says_why(client, steel, supplier, site_of):
    full(supplier, steel, live_listings=0)
    client.force_login(supplier.user)
    before = TradeListingPage.objects.count()
    response = client.post(
        "/members/post/sell/", offer_data(steel, site_of), HTTP_HOST=host("steel")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your Tight plan allows" in html and "live listings" in html
    assert 'value="HRB500 rebar, 12 mm"' in html and "Fresh mill stock." in html
    assert TradeListingPage.objects.count() == before


def test_the_last_free_slot_is_taken_then_refused(client, steel, supplier, site_of):
    full(supplier, steel, live_listings=1)
    client.force_login(supplier.user)
    first = client.post("/members/post/sell/", offer_data(steel, site_of), HTTP_HOST=host("steel"))
    assert first.status_code == 302
    second = client.post(
        "/members/post/sell/",
        offer_data(steel, site_of, title="Another rebar lot"),
        HTTP_HOST=host("steel"),
    )
    assert "Your Tight plan allows" in second.content.decode()
    assert not SellOfferPage.objects.filter(title="Another rebar lot").exists()


def test_the_api_answers_409_naming_the_quota(steel, supplier, site_of):
    from portal.api.tokens import create_token

    full(supplier, steel, live_listings=0)
    member = Api("steel", create_token(supplier, "tests")[1])
    response = member.send("post", "/me/listings/", listing_body(site_of(steel)))
    assert response.status_code == 409
    assert "live listings" in response.json()["detail"]
    assert not TradeListingPage.objects.filter(title="HRB500 rebar, 12 mm, by API").exists()


def test_a_batch_over_the_limit_saves_none(steel, supplier):
    from ..board.test_bulk_submission import new_listings

    full(supplier, steel, live_listings=2)
    board = lifecycle.board_of(supplier.site)
    before = TradeListingPage.objects.count()
    with pytest.raises(quotas.QuotaExceeded, match="these 3 would go over it"):
        lifecycle.submit_listings(new_listings(board, 3), board, supplier)
    assert TradeListingPage.objects.count() == before
    lifecycle.submit_listings(new_listings(board, 2), board, supplier)
    assert TradeListingPage.objects.count() == before + 2


def test_a_quote_over_the_weekly_limit_is_refused(client, steel, supplier, make_member):
    buyer = make_member(steel, "buyer")
    page = (
        BuyRequestPage.objects.live()
        .descendant_of(steel)
        .filter(TradeListingPage.current())
        .exclude(company=supplier.company)
        .first()
    )
    page.company, page.owner = buyer.company, buyer.user
    page.save_revision().publish()
    full(supplier, steel, quotes_per_week=0)
    client.force_login(supplier.user)
    typed = quote(message="Ex stock, rolled last week")
    response = client.post(f"/market/listings/{page.pk}/quote/", typed, HTTP_HOST=host("steel"))
    body = response.content.decode()
    assert response.status_code == 200 and "quotes per week" in body
    assert "Ex stock, rolled last week" in body  # the quote comes back as typed
    assert page.quotes.count() == 0


def test_renewing_an_expired_listing_over_the_limit_is_refused(client, steel, supplier):
    from datetime import date, timedelta

    listing = TradeListingPage.objects.descendant_of(steel).live().first().specific
    listing.company, listing.owner = supplier.company, supplier.user
    listing.save_revision().publish()
    expired_on = date.today() - timedelta(days=2)
    TradeListingPage.objects.filter(pk=listing.pk).update(valid_until=expired_on)
    full(supplier, steel, live_listings=0)
    client.force_login(supplier.user)
    response = client.post(
        f"/members/listings/{listing.pk}/renew/", HTTP_HOST=host("steel"), follow=True
    )
    assert "Your Tight plan allows" in response.content.decode()
    listing.refresh_from_db()
    assert listing.valid_until == expired_on
