"""Editors export their portal's catalogue products from the admin ("Products export"):
another portal's staff get only their own rows; members do not get in."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.catalogue.models import ProductPage
from portal.core.models import PortalSettings

from .conftest import member_client

pytestmark = pytest.mark.django_db
ADMIN_HOST = "localhost:8000"
REPORT = "/admin/exports/products/"


def staff(home, site_of, role: str) -> Client:
    user = get_user_model().objects.create_user(
        f"{role}-{home.industry_slug}", f"{role}@{home.industry_slug}.test", "pw"
    )
    user.groups.add(getattr(PortalSettings.for_site(site_of(home)), role))
    client = Client(HTTP_HOST=ADMIN_HOST)
    client.force_login(user)
    return client


def exported_ids(client: Client) -> set[int]:
    response = client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    column = rows[0].index("ID")
    assert "Portal" in rows[0] and "Company" in rows[0]
    return {int(row[column]) for row in rows[1:]}


@pytest.mark.parametrize("role", ["editors_group", "moderators_group"])
def test_each_portals_staff_export_only_their_portals_products(role, steel, textiles, site_of):
    steel_ids = set(ProductPage.objects.descendant_of(steel).values_list("pk", flat=True))
    textile_ids = set(ProductPage.objects.descendant_of(textiles).values_list("pk", flat=True))
    assert steel_ids and textile_ids
    steel_staff = staff(steel, site_of, role)
    assert exported_ids(steel_staff) == steel_ids
    assert exported_ids(staff(textiles, site_of, role)) == textile_ids
    page = steel_staff.get(REPORT).content.decode()
    assert "Catalogue products" in page


def test_members_get_no_products_export(steel, make_member):
    member = make_member(steel, "curious")
    response = member_client(member, ADMIN_HOST).get(REPORT)
    assert response.status_code in (302, 403)
