"""A member imports products from CSV or XLSX: every row checked with the product form's
rules, all imported into moderation or none, within the plan's catalogue size; the template
and the member's own download are in the same columns."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from wagtail.models import WorkflowState

from portal.catalogue.models import ProductPage
from portal.transfers.products import product_columns

from .conftest import allow_products, member_client

pytestmark = pytest.mark.django_db
IMPORT = "/members/transfers/products/"


def csv_file(rows: list[dict], columns: list[str] | None = None) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or product_columns())
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile("products.csv", out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[dict]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Products"
    columns = product_columns()
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name) for name in columns])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("products.xlsx", out.getvalue())


@pytest.fixture
def rows(choices) -> list[dict]:
    base = {
        "category": choices["category"].slug,
        "unit": choices["unit"],
        "currency": choices["currency"],
        "summary": "From our own line.",
    }
    return [
        {
            **base,
            "title": f"Imported strip {number}",
            "specification": f"Grade: DC0{number}; Thickness: 0.{number} mm",
            "moq": "10",
            "price_min": "700",
            "price_max": "750",
        }
        for number in range(1, 4)
    ] + [{**base, "title": "Imported coil on request", "currency": ""}]


def report_rows(html: str) -> list[tuple[str, str, str]]:
    table = html.split("<caption>Validation report</caption>", 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)


def imported(member):
    return ProductPage.objects.filter(company=member.company, title__startswith="Imported")


def test_a_good_file_imports_every_product_into_moderation(steel, site_of, member, rows):
    allow_products(site_of(steel), member.company, 10)
    client = member_client(member)
    response = client.post(IMPORT, {"file": csv_file(rows)})
    assert response.status_code == 302 and response["Location"] == "/members/products/"
    products = list(imported(member).order_by("title"))
    assert len(products) == 4
    for product in products:
        assert not product.live and product.owner == member.user
        assert product.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    strip = imported(member).get(title="Imported strip 2")
    assert strip.specification == [["Grade", "DC02"], ["Thickness", "0.2 mm"]]
    on_request = imported(member).get(title="Imported coil on request")
    assert on_request.price_min is None
    listed = client.get("/members/products/").content.decode()
    assert "4 products imported" in listed and "Awaiting moderation" in listed


def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(
    steel, site_of, member, rows
):
    allow_products(site_of(steel), member.company, 10)
    rows[1]["category"] = "no-such-category"
    rows[2]["price_max"] = "100"  # below price_min
    rows[3]["specification"] = "just words"
    client = member_client(member)
    response = client.post(IMPORT, {"file": xlsx_file(rows)})
    assert response.status_code == 200
    found = report_rows(response.content.decode())
    assert found[0][:2] == ("3", "category") and "no-such-category" in found[0][2]
    assert ("4", "price_max") in [row[:2] for row in found]
    assert ("5", "specification") in [row[:2] for row in found]
    assert not imported(member).exists()
    report = client.get("/members/transfers/report/")
    assert report.status_code == 200 and "price_max" in report.content.decode()


def test_a_file_over_the_catalogue_size_imports_nothing(steel, site_of, member, rows):
    allow_products(site_of(steel), member.company, 3)
    response = member_client(member).post(IMPORT, {"file": csv_file(rows)})
    text = response.content.decode()
    assert response.status_code == 200 and "nothing was saved" in text
    assert not imported(member).exists()


def test_unknown_columns_and_names_already_listed_are_refused(steel, site_of, member, rows):
    allow_products(site_of(steel), member.company, 10)
    client = member_client(member)
    found = report_rows(
        client.post(
            IMPORT, {"file": csv_file(rows[:1], [*product_columns(), "email"])}
        ).content.decode()
    )
    assert found == [("1", "email", found[0][2])]
    client.post(IMPORT, {"file": csv_file(rows[:1])})
    twice = report_rows(client.post(IMPORT, {"file": csv_file(rows[:1])}).content.decode())
    assert twice[0][:2] == ("2", "title")
    assert imported(member).count() == 1


def test_the_template_and_the_download_are_in_the_columns_of_an_upload(
    steel, site_of, member, rows
):
    allow_products(site_of(steel), member.company, 10)
    client = member_client(member)
    template = client.get("/members/transfers/products/template/", {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(template.content))
    assert workbook.sheetnames == ["Products", "Choices"]
    assert [cell.value for cell in workbook["Products"][1]] == product_columns()
    choices = {row[0] for row in workbook["Choices"].iter_rows(min_row=2, values_only=True)}
    assert choices == {"category", "unit", "currency"}
    client.post(IMPORT, {"file": csv_file(rows)})
    download = client.get("/members/transfers/products/export/", {"format": "csv"})
    text = download.content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {"Imported strip 1", "Imported coil on request"} <= {row["title"] for row in table}
    row = next(row for row in table if row["title"] == "Imported strip 1")
    assert row["status"] == "Awaiting moderation" and "Grade: DC01" in row["specification"]
    # Uploaded again, the download is read (id and status ignored) and refused as a repeat.
    again = SimpleUploadedFile("again.csv", download.content, content_type="text/csv")
    found = report_rows(client.post(IMPORT, {"file": again}).content.decode())
    assert found and all(column == "title" for _, column, _ in found)


def test_members_of_another_portal_or_without_company_get_no_import(textiles, member, make_member):
    elsewhere = make_member(textiles, "importer-elsewhere")
    assert member_client(elsewhere).get(IMPORT).status_code in (302, 404)
