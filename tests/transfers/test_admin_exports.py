"""Editors export their portal's listings and companies from the admin; another portal's
editor gets only their own rows; members and visitors do not get in."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook
from wagtail.models import Page

from portal.board.models import TradeListingPage
from portal.core.models import PortalSettings
from portal.directory.models import CompanyPage

pytestmark = pytest.mark.django_db

ADMIN_HOST = "localhost:8000"
REPORTS = {
    "listings": ("/admin/exports/listings/", TradeListingPage),
    "companies": ("/admin/exports/companies/", CompanyPage),
}


@pytest.fixture
def editor_of(site_of):
    def make(home, role: str = "editors_group"):
        user = get_user_model().objects.create_user(
            f"{role}-{home.industry_slug}", f"{role}@{home.industry_slug}.test", "pw"
        )
        user.groups.add(getattr(PortalSettings.for_site(site_of(home)), role))
        return user

    return make


def exported(client: Client, path: str, fmt: str) -> list[list[str]]:
    response = client.get(path, {"export": fmt}, HTTP_HOST=ADMIN_HOST)
    assert response.status_code == 200, response.status_code
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode()
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def ids(rows: list[list[str]]) -> set[int]:
    column = rows[0].index("ID")
    return {int(row[column]) for row in rows[1:]}


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ["editors_group", "moderators_group"])
def test_a_portals_staff_export_only_their_portal(report, fmt, role, steel, textiles, editor_of):
    path, model = REPORTS[report]
    client = Client()
    client.force_login(editor_of(steel, role))
    rows = exported(client, path, fmt)
    own = set(model.objects.descendant_of(steel).values_list("pk", flat=True))
    assert own and ids(rows) == own
    assert not ids(rows) & set(model.objects.descendant_of(textiles).values_list("pk", flat=True))
    assert {row[0] for row in rows[1:]} == {steel.get_site().site_name or steel.get_site().hostname}


def test_the_page_lists_own_rows_and_offers_the_downloads(steel, textiles, editor_of):
    client = Client()
    client.force_login(editor_of(textiles))
    response = client.get("/admin/exports/listings/", HTTP_HOST=ADMIN_HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "export=xlsx" in html and "export=csv" in html
    theirs = TradeListingPage.objects.descendant_of(textiles).order_by("path").first()
    mine = TradeListingPage.objects.descendant_of(steel).order_by("path").first()
    assert escape(theirs.title) in html and escape(mine.title) not in html
    menu = client.get("/admin/", HTTP_HOST=ADMIN_HOST).content.decode()
    assert "Listings export" in menu


def test_a_superuser_exports_every_portal_or_one(steel, textiles, admin_user):
    client = Client()
    client.force_login(admin_user)
    rows = exported(client, "/admin/exports/listings/", "csv")
    every = set(TradeListingPage.objects.values_list("pk", flat=True))
    assert ids(rows) == every
    response = client.get(
        "/admin/exports/listings/", {"export": "csv", "portal": textiles.path}, HTTP_HOST=ADMIN_HOST
    )
    text = b"".join(response.streaming_content).decode()
    only = {int(r[1]) for r in list(csv.reader(io.StringIO(text)))[1:]}
    assert only == set(
        TradeListingPage.objects.descendant_of(textiles).values_list("pk", flat=True)
    )


def test_an_editor_cannot_filter_to_another_portal(steel, textiles, editor_of):
    client = Client()
    client.force_login(editor_of(steel))
    response = client.get(
        "/admin/exports/listings/", {"export": "csv", "portal": textiles.path}, HTTP_HOST=ADMIN_HOST
    )
    if response.status_code == 200:
        text = b"".join(response.streaming_content).decode()
        rows = list(csv.reader(io.StringIO(text)))[1:]
        foreign = set(TradeListingPage.objects.descendant_of(textiles).values_list("pk", flat=True))
        assert not {int(r[1]) for r in rows} & foreign
    else:
        assert response.status_code in (400, 403, 404)


def test_exported_text_cannot_run_as_a_formula(steel, editor_of):
    page = TradeListingPage.objects.descendant_of(steel).exclude(company=None).first()
    TradeListingPage.objects.filter(pk=page.pk).update(title="=1+2", description="@SUM(A1:A9)")
    Page.objects.filter(pk=page.company_id).update(title="-2+3")
    client = Client()
    client.force_login(editor_of(steel))
    for fmt in ("csv", "xlsx"):
        rows = exported(client, "/admin/exports/listings/", fmt)
        row = next(r for r in rows if r[1] == str(page.pk))
        assert {"'=1+2", "'@SUM(A1:A9)", "'-2+3"} <= set(row), fmt


@pytest.mark.parametrize("report", list(REPORTS))
def test_members_and_visitors_cannot_reach_the_exports(report, steel, make_member):
    path, _ = REPORTS[report]
    member = make_member(steel, "curious")
    for user in (None, member.user):
        client = Client()
        if user is not None:
            client.force_login(user)
        for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
            response = client.get(path, query, HTTP_HOST=ADMIN_HOST)
            assert response.status_code in (302, 403), response.status_code
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"]
            assert b"ID" not in (response.content if not response.streaming else b"")
