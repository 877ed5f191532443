"""The association's report of inquiries and response rates per company, per portal."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from portal.core.admin_reports import site_name
from portal.core.models import PortalSettings
from portal.opportunities.models import FranchiseListingPage

from .conftest import aged, enquiry_for

pytestmark = pytest.mark.django_db
URL = "/admin/leads/"


def staff(home, role: str, name: str):
    settings = PortalSettings.objects.get(site__root_page=home)
    user = get_user_model().objects.create_user(name, f"{name}@staff.test", "staff-123")
    user.groups.add(getattr(settings, f"{role}s_group"))
    return user


def admin_client(user) -> Client:
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    return client


def table(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def textiles_franchise(textiles) -> FranchiseListingPage:
    return FranchiseListingPage.objects.live().descendant_of(textiles).exclude(company=None)[0]


@pytest.fixture
def figures(franchise, textiles_franchise):
    for n, replied in enumerate((timedelta(hours=2), timedelta(hours=6), None, None)):
        aged(enquiry_for(franchise, email=f"{n}@example.com"), 3, replied)
    aged(enquiry_for(franchise, email="old@example.com"), 200, None)  # out of the window
    enquiry_for(textiles_franchise, email="t@example.com")
    return franchise.company, textiles_franchise.company


def test_the_report_is_in_the_reports_menu():
    assert reverse("leads_admin:responses") == URL


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_each_portals_staff_see_their_portals_companies_with_figures(steel, figures, role):
    company, other = figures
    client = admin_client(staff(steel, role, f"steel-{role}"))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Response rates"
        in admin_client(staff(steel, role, f"menu-{role}")).get("/admin/").content.decode()
    )
    assert company.title in html and other.title not in html
    rows = {row["Company"]: row for row in table(client.get(URL, {"export": "csv"}))}
    assert other.title not in rows
    row = rows[company.title]
    assert (row["Inquiries received (90 days)"], row["Replied"]) == ("4", "2")
    assert row["Response rate (%)"] == "50.0" and row["Median response time (hours)"] == "4.0"
    assert int(row["Open listings"]) >= 0
    assert {r["Portal"] for r in rows.values()} == {site_name(company.get_site())}


def test_the_portal_filter_cannot_reach_another_portal(steel, textiles, figures):
    _, other = figures
    client = admin_client(staff(steel, "moderator", "steel-filter"))
    rows = table(client.get(URL, {"portal": textiles.path, "export": "csv"}))
    assert other.title not in {row["Company"] for row in rows}


def test_a_superuser_sees_every_portal_and_gets_xlsx(figures, superuser):
    company, other = figures
    client = admin_client(superuser)
    companies = {row["Company"] for row in table(client.get(URL, {"export": "csv"}))}
    assert {company.title, other.title} <= companies
    xlsx = client.get(URL, {"export": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_anonymous_members_and_staff_of_no_portal_are_refused(steel, make_member, figures):
    anonymous = Client(HTTP_HOST="localhost:8000").get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    member = admin_client(make_member(steel, "report-member").user)
    nobody = get_user_model().objects.create_user("no-portal", "np@staff.test", "staff-123")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for client in (member, admin_client(nobody)):
        for query in ({}, {"export": "csv"}):
            answer = client.get(URL, query)
            assert answer.status_code == 302
            assert urlsplit(answer["Location"]).path in ("/admin/login/", "/admin/")


def test_company_names_a_spreadsheet_would_run_are_neutralised(steel, franchise):
    company = franchise.company
    company.title = "=cmd|calc"
    company.save_revision().publish()
    client = admin_client(staff(steel, "editor", "steel-neutral"))
    rows = table(client.get(URL, {"export": "csv"}))
    assert "'=cmd|calc" in {row["Company"] for row in rows}
