"""Member tokens: made in the member area, shown once, stored as a digest, bound to a portal."""

import re

import pytest

from portal.api.models import ApiToken
from portal.api.tokens import digest

from ..conftest import host

pytestmark = pytest.mark.django_db


def test_a_member_creates_a_token_shown_once_and_stored_as_a_digest(client, supplier):
    client.force_login(supplier.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "/members/api-tokens/" in dashboard
    response = client.post("/members/api-tokens/", {"name": "ERP sync"}, HTTP_HOST=host("steel"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = re.search(r"gh_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    record = ApiToken.objects.get(membership=supplier)
    assert record.digest == digest(token) and token not in str(record.__dict__)
    again = client.get("/members/api-tokens/", HTTP_HOST=host("steel")).content.decode()
    assert token not in again and record.prefix in again


def test_a_revoked_token_no_longer_works(client, api, supplier, token_of):
    token = token_of(supplier)
    assert api("steel", token).get("/me/listings/").status_code == 200
    client.force_login(supplier.user)
    record = ApiToken.objects.get(membership=supplier)
    client.post(f"/members/api-tokens/{record.pk}/revoke/", HTTP_HOST=host("steel"))
    assert api("steel", token).get("/me/listings/").status_code == 401


def test_another_members_token_cannot_be_revoked(client, supplier, make_member, steel, token_of):
    token_of(supplier)
    other = make_member(steel, "other")
    client.force_login(other.user)
    record = ApiToken.objects.get(membership=supplier)
    client.post(f"/members/api-tokens/{record.pk}/revoke/", HTTP_HOST=host("steel"))
    record.refresh_from_db()
    assert record.is_active


def test_a_token_for_one_portal_is_refused_on_another(api, supplier, token_of):
    token = token_of(supplier)
    response = api("textiles", token).get("/me/listings/")
    assert response.status_code == 403
    assert "another portal" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer gh_not-a-token", "Bearer ", "Basic dXNlcjpwdw=="])
def test_writing_needs_a_valid_token(steel_api, header):
    response = steel_api.get("/me/listings/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_signed_in_browser_cannot_write(client, supplier, site_of, steel):
    from .conftest import listing_body

    client.force_login(supplier.user)
    response = client.post(
        "/api/v1/me/listings/",
        listing_body(site_of(steel)),
        content_type="application/json",
        HTTP_HOST=host("steel"),
    )
    assert response.status_code == 401
