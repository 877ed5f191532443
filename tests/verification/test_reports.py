"""The association's verification reports (pipeline, lapses): each portal's editors,
moderators and verifiers read their own portal's rows, on screen and in the CSV, never
another portal's; anonymous visitors are sent to sign in, members and staff of no portal are
refused."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import Page

from portal.core.admin_reports import site_name
from portal.directory.models import CheckScope, CompanyPage, RequestStatus, VerificationRequest

from ..conftest import today
from .conftest import record, site_for, staff_client

pytestmark = pytest.mark.django_db
REPORTS = ("verification_reports:pipeline", "verification_reports:lapses")


def mark(company: CompanyPage, title: str) -> CompanyPage:
    Page.objects.filter(pk=company.pk).update(title=title)
    company.refresh_from_db()
    return company


def new_company(home, title: str) -> CompanyPage:
    """A live company of the portal with no check and no request, beside the demo's."""
    model = CompanyPage.objects.descendant_of(home).first()
    company = CompanyPage(
        title=title, profile="Plates.", country=model.country, region_id=model.region_id
    )
    model.get_parent().add_child(instance=company)
    return company


@pytest.fixture
def rows(steel, textiles):
    """In each portal, a company (named after it) with a request in review and a registration
    check lapsing in ten days."""
    made = {}
    for home in (steel, textiles):
        slug = home.industry_slug
        company = new_company(home, f"Report{slug.title()} Company")
        check = record(
            company, on=today() - timedelta(days=355), until=today() + timedelta(days=10)
        )
        asked = VerificationRequest.objects.create(
            site=site_for(home),
            company=company,
            registry="Registry",
            registration_number="77",
            status=RequestStatus.IN_REVIEW,
        )
        made[slug] = (company, check, asked)
    return made


def staff(home, role, make_staff, make_verifier):
    name = f"{home.industry_slug}-{role}-reader"
    return make_verifier(home, name) if role == "verifier" else make_staff(home, role, name)


def table(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("role", ["editor", "moderator", "verifier"])
@pytest.mark.parametrize("name", REPORTS)
def test_each_portals_staff_read_only_their_portals_rows(
    rows, steel, make_staff, make_verifier, role, name
):
    client = staff_client(staff(steel, role, make_staff, make_verifier))
    page = client.get(reverse(name))
    assert page.status_code == 200
    assert "ReportSteel Company" in page.content.decode()
    assert "ReportTextiles" not in page.content.decode()
    exported = table(client.get(reverse(name), {"export": "csv"}))
    companies = {row["Company"] for row in exported}
    assert "ReportSteel Company" in companies
    assert not [c for c in companies if "Textiles" in c]
    assert {row["Portal"] for row in exported} == {site_name(site_for(steel))}


@pytest.mark.parametrize("name", REPORTS)
def test_asking_for_another_portal_by_the_filter_shows_none_of_it(
    rows, steel, textiles, make_staff, name
):
    client = staff_client(make_staff(steel, "moderator", "steel-filterer"))
    other = site_for(textiles).pk
    page = client.get(reverse(name), {"portal": other})
    assert page.status_code == 200
    assert "ReportTextiles" not in page.content.decode()
    exported = table(client.get(reverse(name), {"portal": other, "export": "csv"}))
    assert not [row for row in exported if "Textiles" in row["Company"]]


@pytest.mark.parametrize("name", REPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(rows, client, name):
    for query in ({}, {"export": "csv"}):
        answer = client.get(reverse(name), query)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("name", REPORTS)
def test_members_and_staff_of_no_portal_are_refused(rows, steel, make_member, name):
    member = staff_client(make_member(steel, "report-member").user)
    nobody = get_user_model().objects.create_user("no-portal", "np@staff.test", "staff-123")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user_client in (member, staff_client(nobody)):
        for query in ({}, {"export": "csv"}):
            answer = user_client.get(reverse(name), query)
            assert answer.status_code == 302, name
            assert "ReportSteel" not in answer.content.decode()
            assert urlsplit(answer["Location"]).path in ("/admin/login/", "/admin/")


def test_the_menu_offers_the_reports_to_staff_and_verifiers_only(
    rows, steel, make_verifier, make_staff
):
    for user in (make_verifier(steel, "menu-verifier"), make_staff(steel, "editor", "menu-ed")):
        dashboard = staff_client(user).get(reverse("wagtailadmin_home")).content.decode()
        assert reverse("verification_reports:pipeline") in dashboard
        assert reverse("verification_reports:lapses") in dashboard
    nobody = get_user_model().objects.create_user("menu-none", "mn@staff.test", "staff-123")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    dashboard = staff_client(nobody).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("verification_reports:pipeline") not in dashboard


def test_the_pipeline_lists_requests_by_status_with_age_and_handler(rows, steel, make_verifier):
    company, _, asked = rows["steel"]
    VerificationRequest.objects.filter(pk=asked.pk).update(
        created_at=asked.created_at - timedelta(days=12)
    )
    verifier = make_verifier(steel, "steel-handler")
    client = staff_client(verifier)
    decided = client.post(
        reverse("verificationrequests:edit", args=[asked.pk]),
        {"status": RequestStatus.REJECTED, "reason": "The extract is illegible."},
    )
    assert decided.status_code == 302
    newer = VerificationRequest.objects.create(
        site=site_for(steel),
        company=new_company(steel, "ReportSteel Newer"),
        registry="R",
        registration_number="1",
    )
    url = reverse("verification_reports:pipeline")
    exported = {int(row["ID"]): row for row in table(client.get(url, {"export": "csv"}))}
    assert exported[asked.pk]["Status"] == "Rejected"
    assert exported[asked.pk]["Age (days)"] == "12"
    assert exported[asked.pk]["Handled by"] == "steel-handler"
    assert exported[newer.pk]["Status"] == "Requested"
    assert exported[newer.pk]["Age (days)"] == "0"
    assert exported[newer.pk]["Handled by"] == ""
    order = list(exported)
    assert order.index(newer.pk) < order.index(asked.pk)  # requested before rejected
    rejected = table(client.get(url, {"status": "rejected", "export": "csv"}))
    assert [int(row["ID"]) for row in rejected if row["Company"] == company.title] == [asked.pk]
    assert all(row["Status"] == "Rejected" for row in rejected)


def test_lapses_list_checks_lapsing_within_the_window_and_badges_lapsed_lately(
    rows, steel, make_verifier
):
    soon = rows["steel"][1]
    later = record(
        new_company(steel, "ReportSteel Later"),
        on=today() - timedelta(days=300),
        until=today() + timedelta(days=45),
    )
    lapsed_company = new_company(steel, "ReportSteel Lapsed")
    lapsed = record(
        lapsed_company, on=today() - timedelta(days=100), until=today() - timedelta(days=5)
    )
    renewed_company = new_company(steel, "ReportSteel Renewed")
    renewed_old = record(
        renewed_company, on=today() - timedelta(days=100), until=today() + timedelta(days=3)
    )
    record(renewed_company, on=today() - timedelta(days=1), until=today() + timedelta(days=400))
    revoked = record(
        new_company(steel, "ReportSteel Revoked"),
        on=today() - timedelta(days=100),
        until=today() + timedelta(days=3),
    )
    revoked.revoke("Withdrawn.")
    long_ago = record(
        new_company(steel, "ReportSteel Long ago"),
        scope=CheckScope.ADDRESS,
        on=today() - timedelta(days=200),
        until=today() - timedelta(days=40),
    )
    client = staff_client(make_verifier(steel, "steel-lapses"))
    url = reverse("verification_reports:lapses")

    def listed(**query) -> dict[int, dict]:
        return {int(row["ID"]): row for row in table(client.get(url, {**query, "export": "csv"}))}

    default = listed()
    assert soon.pk in default and lapsed.pk in default
    assert later.pk not in default
    assert not {renewed_old.pk, revoked.pk, long_ago.pk} & set(default)
    assert default[soon.pk]["State"] == "Lapses in 10 days"
    assert default[soon.pk]["Days left"] == "10"
    assert default[soon.pk]["Scope"] == "Company registration"
    assert default[soon.pk]["Checked by"] == "Steel Association secretariat"
    assert default[soon.pk]["Expires on"] == str(today() + timedelta(days=10))
    assert default[lapsed.pk]["State"] == "Lapsed 5 days ago"
    assert later.pk in listed(within="60") and later.pk in listed(within="90")
    assert set(listed(state="lapsed")) & {soon.pk, lapsed.pk} == {lapsed.pk}
    assert set(listed(state="expiring")) & {soon.pk, lapsed.pk} == {soon.pk}
    assert listed(within="7; drop table") == default  # an unknown window: the first one
    page = client.get(url, {"within": "60"})
    assert page.status_code == 200
    assert "ReportSteel Later" in page.content.decode()


@pytest.mark.parametrize("name", REPORTS)
def test_cells_a_spreadsheet_would_run_are_made_plain_text(rows, steel, make_verifier, name):
    company = rows["steel"][0]
    mark(company, "=HYPERLINK(1)")
    client = staff_client(make_verifier(steel, "steel-neutral"))
    exported = table(client.get(reverse(name), {"export": "csv"}))
    assert "'=HYPERLINK(1)" in {row["Company"] for row in exported}


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_downloads_as_a_spreadsheet(rows, steel, make_verifier, name):
    client = staff_client(make_verifier(steel, "steel-xlsx"))
    answer = client.get(reverse(name), {"export": "xlsx"})
    assert answer.status_code == 200
    assert "spreadsheetml" in answer["Content-Type"]
    assert b"".join(answer.streaming_content if answer.streaming else [answer.content])[:2] == b"PK"
