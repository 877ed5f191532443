"""Reading a portal's public content: per portal, filtered like the search page, paginated."""

from datetime import date

import pytest

from portal.board.models import TradeListingPage
from portal.core.models import Category, Region
from portal.directory.models import CompanyPage
from portal.events.models import EventPage
from search.params import price_buckets_for

pytestmark = pytest.mark.django_db


def test_lists_only_open_listings_of_the_requests_portal(steel, textiles, steel_api):
    data = steel_api.get("/listings/", {"limit": 100}).json()
    ids = {item["id"] for item in data["results"]}
    open_steel = TradeListingPage.objects.open().descendant_of(steel)
    assert data["count"] == open_steel.count()
    assert ids <= set(open_steel.values_list("pk", flat=True))
    assert not ids & set(
        TradeListingPage.objects.descendant_of(textiles).values_list("pk", flat=True)
    )


def test_another_portals_item_is_not_found_here(textiles, steel_api):
    other = TradeListingPage.objects.open().descendant_of(textiles).first()
    assert steel_api.get(f"/listings/{other.pk}/").status_code == 404


def test_the_hub_has_no_data(client):
    response = client.get("/api/v1/listings/", HTTP_HOST="localhost:8000")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_no_contact_details_or_member_identities(steel_api):
    text = steel_api.get("/listings/", {"limit": 100}).content.decode()
    text += steel_api.get("/companies/", {"limit": 100}).content.decode()
    assert "@" not in text
    for field in ('"email"', '"owner"', '"website"', '"phone"'):
        assert field not in text


def test_kind_filter_has_the_search_pages_values(steel_api):
    data = steel_api.get("/listings/", {"kind": "buy", "limit": 100}).json()
    assert data["results"] and {item["kind"] for item in data["results"]} == {"buy"}
    both = steel_api.get("/listings/", {"kind": ["buy", "sell"]}).json()
    assert both["count"] == steel_api.get("/listings/").json()["count"]


def test_a_parent_category_matches_its_children(steel, site_of, steel_api):
    parent = Category.objects.for_site(site_of(steel)).filter(children__isnull=False).first()
    data = steel_api.get("/listings/", {"category": parent.slug, "limit": 100}).json()
    family = {parent.slug, *parent.children.values_list("slug", flat=True)}
    assert data["results"]
    assert {item["category"]["value"] for item in data["results"]} <= family


def test_region_filter(steel, site_of, steel_api):
    region = Region.objects.filter(site=site_of(steel)).first()
    data = steel_api.get("/companies/", {"region": region.code, "limit": 100}).json()
    expected = CompanyPage.objects.live().descendant_of(steel).filter(region=region).count()
    assert data["count"] == expected
    assert {item["region"]["value"] for item in data["results"]} <= {region.code}


def test_price_ranges_and_sorts(steel, site_of, steel_api):
    cheap_first = steel_api.get("/listings/", {"sort": "price_asc", "limit": 100}).json()
    prices = [float(i["price_min"]) for i in cheap_first["results"] if i["price_min"] is not None]
    assert prices == sorted(prices)
    key, low, high, _ = price_buckets_for(site_of(steel))[1]  # the search page's second range
    ranged = steel_api.get("/listings/", {"price": key, "limit": 100}).json()
    assert ranged["results"]
    assert all(low <= float(i["price_min"]) < high for i in ranged["results"])
    bad = steel_api.get("/listings/", {"price": "1-2-3"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "price"


def test_unknown_parameter_is_a_400_naming_it(steel_api):
    response = steel_api.get("/listings/", {"kindd": "sell"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "kindd"
    assert "kindd" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"kind": "lease"}, "kind"),
        ({"category": "no-such-category"}, "category"),
        ({"region": "atlantis"}, "region"),
        ({"limit": "1000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"posted": "2y"}, "posted"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_bad_values_are_400s_naming_the_parameter(steel_api, params, parameter):
    response = steel_api.get("/listings/", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


@pytest.mark.parametrize("item_id", ["0", "abc", "99999999999999999999999", "123456789"])
def test_bad_ids_are_404s(steel_api, item_id):
    response = steel_api.get(f"/listings/{item_id}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_pagination_links(steel_api):
    first = steel_api.get("/listings/", {"limit": 5, "kind": "sell"}).json()
    assert len(first["results"]) == 5 and first["previous"] is None
    assert "offset=5" in first["next"] and "kind=sell" in first["next"]
    second = steel_api.client.get(first["next"], **steel_api.headers).json()
    assert second["previous"] and "offset=0" in second["previous"]
    assert not {i["id"] for i in first["results"]} & {i["id"] for i in second["results"]}


def test_details_of_every_resource(steel_api):
    for name in ("listings", "companies", "news", "events", "franchises", "investments", "prices"):
        listed = steel_api.get(f"/{name}/", {"limit": 1}).json()
        assert listed["results"], name
        item = listed["results"][0]
        detail = steel_api.get(f"/{name}/{item['id']}/")
        assert detail.status_code == 200, name
        assert detail.json()["url"] == item["url"]


def test_a_price_series_comes_with_its_points(steel_api):
    series = steel_api.get("/prices/").json()["results"][0]
    detail = steel_api.get(f"/prices/{series['id']}/").json()
    assert isinstance(detail["points"], list)


def test_events_list_upcoming_ones_and_filter_by_attendance(steel, steel_api):
    data = steel_api.get("/events/", {"kind": "web", "limit": 100}).json()
    assert {item["attendance"] for item in data["results"]} <= {"online"}
    assert all(date.fromisoformat(i["end_date"]) >= date.today() for i in data["results"])
    past = EventPage.objects.live().descendant_of(steel).filter(end_date__lt=date.today()).first()
    if past is not None:  # a past event keeps its page, and its detail
        assert steel_api.get(f"/events/{past.pk}/").status_code == 200


def test_q_finds_words_in_titles(steel_api):
    title = steel_api.get("/companies/").json()["results"][0]["title"]
    word = title.split()[0]
    data = steel_api.get("/companies/", {"q": word.lower()}).json()
    assert data["results"] and all(word.lower() in i["title"].lower() for i in data["results"])


def test_an_unknown_endpoint_is_a_json_404(steel_api):
    response = steel_api.get("/sellers/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such endpoint."


@pytest.mark.parametrize("kind", ["sell", "buy"])
def test_a_listed_listing_is_given_as_its_detail(steel_api, kind):
    """Lists read rows, details read pages: both give a listing alike."""
    listed = steel_api.get("/listings/", {"limit": 100, "kind": kind}).json()["results"]
    with_company = [item for item in listed if item["company"]] or listed
    for item in (with_company[0], listed[-1]):
        assert steel_api.get(f"/listings/{item['id']}/").json() == item
