"""A list costs the same few queries however long the page: no query per item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LISTS = ["listings", "companies", "news", "events", "franchises", "investments", "prices"]


def queries(steel_api, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert steel_api.get(path, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_the_page(steel_api, name):
    steel_api.get(f"/{name}/")  # what every page of the portal shares is known from here on
    assert queries(steel_api, f"/{name}/", {"limit": 2}) == queries(
        steel_api, f"/{name}/", {"limit": 100}
    )


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_a_few_queries(steel_api, name, django_assert_max_num_queries):
    steel_api.get(f"/{name}/")
    with django_assert_max_num_queries(4):
        steel_api.get(f"/{name}/", {"limit": 100})


def test_a_filtered_list_costs_a_few_more(steel_api, django_assert_max_num_queries):
    steel_api.get("/listings/")
    params = {"kind": "sell", "category": "", "limit": 100}
    data = steel_api.get("/listings/", {"limit": 1}).json()["results"][0]
    params |= {"category": data["category"]["value"], "region": data["region"]["value"]}
    with django_assert_max_num_queries(6):
        assert steel_api.get("/listings/", params).status_code == 200
