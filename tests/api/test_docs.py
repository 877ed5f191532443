"""The schema and the docs page: served by the app itself, within the CSP."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_lists_every_endpoint(steel_api):
    schema = steel_api.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/listings/" in schema["paths"] and "/api/v1/me/listings/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/listings/"]["get"]["parameters"]}
    assert {"kind", "category", "region", "price", "posted", "sort", "q"} <= names


def test_the_docs_page_runs_no_script_and_links_the_schema(steel_api):
    response = steel_api.get("/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in html and "GET /api/v1/listings/" in html
    assert "<script" not in html and "cdn" not in html.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_hub_has_the_docs_page_too(client):
    response = client.get("/api/v1/docs", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert "on a portal's own address" in response.content.decode()
