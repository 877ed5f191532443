"""Members' listings through the API: moderated like the forms, with the same rules."""

import pytest
from django.core.cache import cache

from portal.board.models import TradeListingPage
from portal.core.models import Category, Region

from ..conftest import host, human
from .conftest import approve, listing_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(api, supplier, token_of):
    return api("steel", token_of(supplier))


def post(member, site, **extra):
    return member.send("post", "/me/listings/", listing_body(site, **extra))


def test_a_posted_listing_is_public_only_once_approved(member, steel, site_of, steel_api):
    site = site_of(steel)
    response = post(member, site)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "pending" and created["url"] is None
    assert steel_api.get(f"/listings/{created['id']}/").status_code == 404
    listed = steel_api.get("/listings/", {"q": "by API"}).json()
    assert created["id"] not in {item["id"] for item in listed["results"]}
    approve(TradeListingPage.objects.get(pk=created["id"]).specific, site)
    detail = steel_api.get(f"/listings/{created['id']}/")
    assert detail.status_code == 200 and detail.json()["title"] == "HRB500 rebar, 12 mm, by API"
    assert member.get("/me/listings/").json()[0]["status"] == "live"


def test_the_forms_rules_apply(member, steel, site_of):
    response = post(member, site_of(steel), price_min="700", price_max="600")
    assert response.status_code == 400
    assert response.json()["parameter"] == "price_max"
    html = post(member, site_of(steel), title="<b>Rebar</b>")
    assert html.status_code == 400 and html.json()["parameter"] == "title"


def test_unknown_fields_and_values_are_400s(member, steel, site_of):
    site = site_of(steel)
    assert post(member, site, colour="red").status_code == 400
    bad = post(member, site, category="no-such-thing")
    assert bad.status_code == 400 and bad.json()["parameter"] == "category"
    wrong_kind = post(member, site, kind="buy")  # moq belongs to sell offers
    assert wrong_kind.status_code == 400 and wrong_kind.json()["parameter"] == "moq"


def test_the_same_listing_twice_is_refused(member, steel, site_of):
    assert post(member, site_of(steel)).status_code == 201
    again = post(member, site_of(steel))
    assert again.status_code == 409 and "already posted" in again.json()["detail"]


def test_changes_go_to_the_moderators_again(member, steel, site_of):
    created = post(member, site_of(steel)).json()
    response = member.send("patch", f"/me/listings/{created['id']}/", {"title": "Rebar, 16 mm"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    page = TradeListingPage.objects.get(pk=created["id"])
    assert page.get_latest_revision_as_object().title == "Rebar, 16 mm"
    assert not page.live


def test_a_live_listing_cannot_be_changed_only_closed(member, steel, site_of, steel_api):
    site = site_of(steel)
    created = post(member, site).json()
    approve(TradeListingPage.objects.get(pk=created["id"]).specific, site)
    change = member.send("patch", f"/me/listings/{created['id']}/", {"title": "Other"})
    assert change.status_code == 409
    closed = member.send("post", f"/me/listings/{created['id']}/close/", {"reason": "fulfilled"})
    assert closed.status_code == 200 and closed.json()["status"] == "fulfilled"
    assert steel_api.get(f"/listings/{created['id']}/").status_code == 404
    listed = steel_api.get("/listings/", {"limit": 100, "q": "by API"}).json()
    assert created["id"] not in {item["id"] for item in listed["results"]}
    again = member.send("post", f"/me/listings/{created['id']}/close/", {})
    assert again.status_code == 409


def test_another_members_listing_cannot_be_changed_or_closed(api, steel, make_member, token_of):
    theirs = TradeListingPage.objects.open().descendant_of(steel).exclude(company=None).first()
    stranger = api("steel", token_of(make_member(steel, "stranger")))
    assert (
        stranger.send("patch", f"/me/listings/{theirs.pk}/", {"title": "Mine"}).status_code == 404
    )
    assert stranger.send("post", f"/me/listings/{theirs.pk}/close/", {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.live and not theirs.closed_on


def test_posting_obeys_the_listing_rate(member, steel, site_of, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "listing": "2/h"}
    cache.clear()
    site = site_of(steel)
    codes = [post(member, site, title=f"Rebar lot {n}").status_code for n in range(3)]
    assert codes[:2] == [201, 201]
    assert codes[2] == 429


def test_the_form_and_the_api_share_one_allowance(
    client, member, supplier, steel, site_of, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "listing": "1/h"}
    site = site_of(steel)
    body = listing_body(site, title="Rebar from the form")
    form = {
        **body,
        "category": Category.objects.get(site=site, slug=body["category"]).pk,
        "region": Region.objects.get(site=site, code=body["region"]).pk,
    }
    client.force_login(supplier.user)
    posted = client.post("/members/post/sell/", human("listing", **form), HTTP_HOST=host("steel"))
    assert posted.status_code == 302
    assert post(member, site).status_code == 429
