"""The public search page: themed, shareable URLs, facets that toggle, robust to any input."""

import pytest

from search.models import SearchDocument

from ..conftest import host
from .test_contract import NASTY

pytestmark = pytest.mark.django_db


def test_the_search_page_is_themed_and_links_toggle_facets(client):
    response = client.get("/search/?q=steel&type=listing", HTTP_HOST=host("steel"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "theme-industrial" in html
    assert 'aria-current="true"' in html  # the selected facet option
    assert "?q=steel" in html and "type=listing" in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_hub_has_a_portal_facet(client):
    html = client.get("/search/?type=company", HTTP_HOST="localhost:8000").content.decode()
    assert 'id="facet-portal"' in html


def test_a_page_past_the_end_shows_the_last_page(client):
    total = SearchDocument.objects.filter(portal="steel").count()
    html = client.get("/search/?page=250", HTTP_HOST=host("steel")).content.decode()
    assert "Nothing matches" not in html
    assert total > 0


def test_autocomplete_answers_json(client):
    title = SearchDocument.objects.filter(portal="steel", doc_type="listing").first().title
    data = client.get(f"/search/suggest/?q={title[:5]}", HTTP_HOST=host("steel")).json()
    assert data["results"] and data["results"][0]["url"].startswith("http://steel.")


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_no_query_breaks_the_page(client, text):
    response = client.get(
        "/search/", {"q": text, "page": "x", "sort": "evil"}, HTTP_HOST=host("steel")
    )
    assert response.status_code == 200


def test_price_ranges_fit_each_portal():
    from search.query import DEFAULT_PRICE_EDGES, price_buckets, price_edges

    assert price_edges(0.8, 14) == (1, 2, 5, 10)  # a few USD per kg
    assert price_edges(None, None) == DEFAULT_PRICE_EDGES
    labels = [label for *_, label in price_buckets((1, 2, 5, 10))]
    assert labels == ["Under 1", "1 – 2", "2 – 5", "5 – 10", "10 and more"]
