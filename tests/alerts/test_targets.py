"""What a saved URL means, and the 400 that names what it cannot read."""

import pytest
from django.test import Client

from portal.alerts.targets import BadTarget, read_url
from portal.core.models import Category, Region

from .support import STEEL, board_of


@pytest.fixture
def site(steel, site_of):
    return site_of(steel)


def test_a_board_category_page_is_a_saved_search_of_that_category(steel, site):
    board = board_of(steel)
    category = Category.objects.filter(site=site, parent__isnull=True).first()
    target = read_url(site, f"/{board.slug}/category/{category.slug}/page/2/")
    assert target.filters.categories == (category.pk,)
    assert category.name in target.label


def test_search_parameters_become_the_filter(steel, site):
    region = Region.objects.filter(site=site).first()
    target = read_url(site, f"/search/?q=Hot+rolled&kind=sell&region={region.code}&sort=newest")
    assert target.filters.terms == ("hot", "rolled")
    assert target.filters.kinds == ("sell",)
    assert target.filters.regions == (region.pk,)
    assert "“Hot rolled”" in target.label


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/search/?q=steel&colour=red", "colour"),
        ("/search/?category=no-such-thing", "category"),
        ("/search/?region=atlantis", "region"),
        ("/search/?kind=franchise", "kind"),
        ("/search/?type=news", "type"),
        ("/search/?price=1-2", "price"),
        ("/about-us/", "url"),
    ],
)
def test_what_an_alert_cannot_read_is_refused_by_name(steel, site, url, param):
    with pytest.raises(BadTarget) as error:
        read_url(site, url)
    assert error.value.param == param


def test_an_unknown_filter_is_a_400_that_names_it(client: Client, steel):
    response = client.get("/alerts/new/", {"url": "/search/?q=rebar&colour=red"}, HTTP_HOST=STEEL)
    assert response.status_code == 400
    assert "<code>colour</code>" in response.content.decode()
    response = client.post(
        "/alerts/subscribe/",
        {"url": "/search/?colour=red", "email": "a@example.com"},
        HTTP_HOST=STEEL,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["param"] == "colour"


def test_the_hub_has_no_alerts(client: Client, db):
    response = client.get("/alerts/new/", {"url": "/search/"}, HTTP_HOST="localhost:8000")
    assert response.status_code == 404
