"""What the transfers tests share: a member of the steel portal, rows of a listings file
that the posting form accepts, and files made of them."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portal.core.models import PortalSettings, Region
from portal.transfers.columns import listing_columns

from ..conftest import host, leaf_category

STEEL = host("steel")


@pytest.fixture
def member(steel, make_member):
    return make_member(steel, "importer")


@pytest.fixture
def choices(steel, site_of) -> dict:
    """Values of the steel portal's choice columns, as a file writes them."""
    site = site_of(steel)
    settings = PortalSettings.for_site(site)
    category = leaf_category(site)
    region = Region.objects.filter(site=site, is_active=True).first()
    return {
        "category": category.slug,
        "region": region.code,
        "unit": settings.units[0]["code"],
        "currency": settings.currencies[0],
    }


@pytest.fixture
def sell_row(choices) -> dict:
    return {
        "kind": "sell",
        "title": "Imported HRB500 rebar, 12 mm",
        "description": "Mill stock from our yard.",
        "quantity": "500",
        "price_min": "610",
        "incoterm": "FOB",
        "moq": "50",
        "specification": "HRB500",
        **choices,
    }


@pytest.fixture
def buy_row(choices) -> dict:
    return {
        "kind": "buy",
        "title": "Imported request for wire rod",
        "description": "Monthly deliveries wanted.",
        "quantity": "1200",
        "required_by": (date.today() + timedelta(days=20)).isoformat(),
        **choices,
    }


def csv_upload(rows: list[dict], name: str = "listings.csv", **options) -> SimpleUploadedFile:
    """A UTF-8 CSV of ``rows`` in the template's columns (``bom``, ``delimiter`` optional)."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=listing_columns(), delimiter=options.get("delimiter", ",")
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    text = ("\ufeff" if options.get("bom") else "") + out.getvalue()
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def xlsx_upload(rows: list[list], name: str = "listings.xlsx") -> SimpleUploadedFile:
    """An XLSX whose first sheet holds ``rows`` (the first of them the headings)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Listings"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, file):
    return client.post("/members/transfers/", {"file": file}, HTTP_HOST=STEEL)
