"""A member uploads a CSV or XLSX of listings: checked row by row with the posting form's
rules, imported all or nothing, into moderation."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from wagtail.models import WorkflowState

from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.models import PortalSettings
from portal.transfers.columns import listing_columns

from ..support import without_quotas
from .conftest import STEEL, csv_upload, upload, xlsx_upload

pytestmark = pytest.mark.django_db


def listings_of(member):
    return TradeListingPage.objects.filter(company=member.company)


def report_rows(html: str) -> list[tuple[str, str, str]]:
    """The validation report's rows as the page shows them."""
    table = html.split("<caption>Validation report</caption>", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [tuple(cell) for cell in cells]


# A file that imports ----------------------------------------------------------------------


def test_a_valid_csv_imports_every_row_into_moderation(client, steel, member, sell_row, buy_row):
    client.force_login(member.user)
    before = listings_of(member).count()
    response = upload(client, csv_upload([sell_row, buy_row]))
    assert response.status_code == 302 and response["Location"] == "/members/"
    offer = SellOfferPage.objects.get(company=member.company, title=sell_row["title"])
    request = BuyRequestPage.objects.get(company=member.company, title=buy_row["title"])
    assert listings_of(member).count() == before + 2
    for page in (offer, request):
        assert not page.live
        assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        assert page.owner == member.user
    assert offer.moq == 50 and offer.specification == "HRB500"
    assert offer.get_parent().get_parent().specific == steel  # this portal's board
    settings = PortalSettings.for_site(member.site)
    assert offer.valid_until == date.today() + timedelta(days=settings.sell_offer_days)
    assert request.required_by == date.today() + timedelta(days=20)
    dashboard = client.get("/members/", HTTP_HOST=STEEL).content.decode()
    assert "2 listings imported" in dashboard
    assert "Awaiting moderation" in dashboard
    board = client.get(offer.get_parent().url, HTTP_HOST=STEEL).content.decode()
    assert sell_row["title"] not in board


def test_an_xlsx_with_dates_formulas_and_empty_rows_imports(client, member, sell_row, buy_row):
    """Date cells are read as dates, formulas as their values, empty rows are skipped."""
    columns = listing_columns()
    until = date.today() + timedelta(days=10)
    offer = {**sell_row, "valid_until": until, "quantity": 500}
    request = {**buy_row, "required_by": date.today() + timedelta(days=5), "quantity": 1200.0}
    file = xlsx_upload(
        [
            columns,
            [offer.get(name) for name in columns],
            [None] * len(columns),
            [request.get(name) for name in columns],
        ]
    )
    file = with_formula(file, "E2", "250*2", "500")  # column E: quantity
    client.force_login(member.user)
    response = upload(client, file)
    assert response.status_code == 302
    page = SellOfferPage.objects.get(company=member.company, title=sell_row["title"])
    assert page.valid_until == until and page.quantity == 500
    assert BuyRequestPage.objects.get(title=buy_row["title"]).quantity == 1200


def with_formula(file: SimpleUploadedFile, cell: str, formula: str, cached: str):
    """``file`` (an XLSX) with ``cell`` made a formula whose last worked-out value is
    ``cached``, as a spreadsheet program saves it."""
    source = zipfile.ZipFile(io.BytesIO(file.read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(
                    rf'<c r="{cell}"[^>]*>.*?</c>',
                    f'<c r="{cell}"><f>{formula}</f><v>{cached}</v></c>',
                    data.decode(),
                )
                assert count == 1
                data = text.encode()
            target.writestr(item, data)
    return SimpleUploadedFile(file.name, out.getvalue())


def test_a_csv_with_a_byte_order_mark_and_semicolons_imports(client, member, sell_row):
    client.force_login(member.user)
    row = {**sell_row, "title": "Bewehrungsstahl für Baustellen", "valid_until": ""}
    response = upload(client, csv_upload([row], bom=True, delimiter=";"))
    assert response.status_code == 302
    assert listings_of(member).filter(title="Bewehrungsstahl für Baustellen").exists()


def test_choices_may_be_written_by_label_in_any_case(client, member, sell_row, steel, site_of):
    from portal.core.models import Category, Region

    category = Category.objects.get(site=site_of(steel), slug=sell_row["category"])
    region = Region.objects.get(site=site_of(steel), code=sell_row["region"])
    row = {
        **sell_row,
        "kind": "Sell offer",
        "category": str(category).upper(),
        "region": region.name.lower(),
    }
    client.force_login(member.user)
    assert upload(client, csv_upload([row])).status_code == 302
    page = SellOfferPage.objects.get(company=member.company, title=sell_row["title"])
    assert (page.category, page.region) == (category, region)


# A file with mistakes -----------------------------------------------------------------------


def test_a_file_with_an_error_imports_nothing_and_reports_row_and_column(
    client, member, sell_row, buy_row
):
    rows = [
        sell_row,
        {**buy_row, "quantity": "lots"},
        {**sell_row, "title": "Second offer", "price_max": "500", "currency": ""},
        {**sell_row, "title": "Third offer", "category": "no-such-thing", "moq": "9000"},
        {**buy_row, "title": "Fourth", "moq": "5"},
        {**sell_row, "title": "Fifth", "description": "<b>bold</b>", "kind": "rent"},
    ]
    client.force_login(member.user)
    before = TradeListingPage.objects.count()
    response = upload(client, csv_upload(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in html
    assert TradeListingPage.objects.count() == before
    found = report_rows(html)
    assert ("3", "quantity", "Enter a number.") in found
    assert ("4", "price_max", "The upper end must not be below the price.") in found
    assert ("4", "currency", "Say which currency the price is in.") in found
    assert any(r[:2] == ("5", "category") and "no-such-thing" in r[2] for r in found)
    assert ("5", "moq", "The minimum order cannot exceed the quantity offered.") in found
    assert ("6", "moq", "A buy request has no moq; leave it empty.") in found
    assert any(r[:2] == ("7", "kind") for r in found)
    assert not any(r[0] == "2" for r in found)  # the first row is fine

    report = client.get("/members/transfers/report/", HTTP_HOST=STEEL)
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["row", "column", "message"]
    assert ["3", "quantity", "Enter a number."] in lines


def test_plain_text_and_date_rules_of_the_form_apply(client, member, sell_row):
    past = (date.today() - timedelta(days=1)).isoformat()
    rows = [
        {**sell_row, "description": "<script>x</script> steel"},
        {**sell_row, "title": "Late", "valid_until": past},
        {
            **sell_row,
            "title": "Far",
            "valid_until": (date.today() + timedelta(days=900)).isoformat(),
        },
        {**sell_row, "title": "Odd date", "valid_until": "31/31/2030"},
    ]
    client.force_login(member.user)
    found = report_rows(upload(client, csv_upload(rows)).content.decode())
    assert ("2", "description", "Plain text only: please remove the HTML tags.") in found
    assert ("3", "valid_until", "Choose a date from today on.") in found
    assert any(r[:2] == ("4", "valid_until") and "at most" in r[2] for r in found)
    assert ("5", "valid_until", "Enter a valid date.") in found


def test_a_listing_twice_in_the_file_or_already_posted_is_refused(client, member, sell_row):
    client.force_login(member.user)
    assert upload(client, csv_upload([sell_row])).status_code == 302
    other = {**sell_row, "title": "Another offer"}
    found = report_rows(upload(client, csv_upload([other, other, sell_row])).content.decode())
    assert ("3", "(whole row)", "The same listing as row 2.") in found
    assert any(r[:2] == ("4", "(whole row)") and "already posted" in r[2] for r in found)
    assert not listings_of(member).filter(title="Another offer").exists()


def test_unknown_or_missing_columns_are_reported_on_the_headings_row(client, member):
    file = SimpleUploadedFile("x.csv", b"title,colour\nRebar,red\n")
    client.force_login(member.user)
    found = report_rows(upload(client, file).content.decode())
    assert any(r[:2] == ("1", "colour") and "Unknown column" in r[2] for r in found)
    assert any(r[:2] == ("1", "kind") for r in found)


# A file that is refused whole -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("prices.pdf", b"%PDF-1.4 not a spreadsheet"),
        ("listings.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel"),
        ("listings.xlsx", b"PK\x03\x04 a broken zip"),
        ("listings.csv", b"kind,title\nsell,\xff\xfe latin-1 \xe9\n"),
        ("listings.csv", b""),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_changes_nothing(client, member, name, content):
    client.force_login(member.user)
    before = TradeListingPage.objects.count()
    response = upload(client, SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"CSV|Excel|empty", html.split('class="field__errors"', 1)[1])
    assert TradeListingPage.objects.count() == before


def test_a_file_too_big_or_with_too_many_rows_changes_nothing(client, member, sell_row, settings):
    client.force_login(member.user)
    before = TradeListingPage.objects.count()
    settings.TRANSFERS_MAX_BYTES = 1024
    html = upload(client, csv_upload([sell_row] * 10)).content.decode()
    assert "files of up to 1 KB are taken" in html
    settings.TRANSFERS_MAX_BYTES = 1024 * 1024
    settings.TRANSFERS_MAX_ROWS = 2
    rows = [{**sell_row, "title": f"Offer {n}"} for n in range(3)]
    html = upload(client, csv_upload(rows)).content.decode()
    assert "more than 2 listings" in html
    assert TradeListingPage.objects.count() == before


# Guards -------------------------------------------------------------------------------------


def test_uploads_are_rate_limited(client, member, sell_row, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "import": "2/h"}
    client.force_login(member.user)
    for _ in range(2):
        upload(client, csv_upload([{**sell_row, "quantity": "x"}]))
    assert upload(client, csv_upload([sell_row])).status_code == 429
    assert not listings_of(member).filter(title=sell_row["title"]).exists()


def test_uploads_need_a_csrf_token(member, sell_row):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    assert upload(client, csv_upload([sell_row])).status_code == 403
    assert not listings_of(member).filter(title=sell_row["title"]).exists()


def test_visitors_must_sign_in_and_join(client, steel, sell_row):
    response = upload(client, csv_upload([sell_row]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not TradeListingPage.objects.filter(title=sell_row["title"]).exists()


# The page and the template ----------------------------------------------------------------------


def test_the_dashboard_links_the_page_which_lists_the_portals_choices(client, member, choices):
    client.force_login(member.user)
    dashboard = client.get("/members/", HTTP_HOST=STEEL).content.decode()
    assert 'href="/members/transfers/"' in dashboard
    page = client.get("/members/transfers/", HTTP_HOST=STEEL).content.decode()
    assert f"<code>{choices['category']}</code>" in page
    assert f"<code>{choices['region']}</code>" in page


def test_the_template_has_the_columns_and_the_portals_choices(client, member, choices):
    client.force_login(member.user)
    response = client.get("/members/transfers/template/?format=xlsx", HTTP_HOST=STEEL)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Listings", "Choices"]
    assert [c.value for c in next(workbook["Listings"].iter_rows())] == listing_columns()
    listed = {(row[0], row[1]) for row in workbook["Choices"].iter_rows(values_only=True)}
    assert {("kind", "sell"), ("kind", "buy")} <= listed
    assert {(name, value) for name, value in choices.items()} <= listed

    response = client.get("/members/transfers/template/?format=csv", HTTP_HOST=STEEL)
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == listing_columns()
    response = client.get("/members/transfers/template/?format=csv&sheet=choices", HTTP_HOST=STEEL)
    assert choices["category"] in response.content.decode()


def test_there_is_no_report_before_an_upload(client, member):
    client.force_login(member.user)
    assert client.get("/members/transfers/report/", HTTP_HOST=STEEL).status_code == 404


def test_a_failure_while_saving_leaves_nothing_half_way(client, member, sell_row, monkeypatch):
    """Rows are saved in one transaction: if saving fails once the listings are in, none stay."""
    from portal.core import moderation

    saved = []

    def failing(pages):
        saved.append(TradeListingPage.objects.filter(title__startswith="Offer ").count())
        raise RuntimeError("the database went away")

    monkeypatch.setattr(moderation, "index_new_pages", failing)
    client.raise_request_exception = False
    client.force_login(member.user)
    before = TradeListingPage.objects.count()
    rows = [{**sell_row, "title": f"Offer {n}"} for n in range(3)]
    assert upload(client, csv_upload(rows)).status_code == 500
    assert saved == [3]
    assert TradeListingPage.objects.count() == before


@pytest.mark.slow
def test_a_file_at_the_row_limit_imports_in_one_upload(client, member, sell_row, settings):
    without_quotas(member)  # a paid plan's members import up to the row limit at once
    rows = [{**sell_row, "title": f"Bulk offer {n}"} for n in range(settings.TRANSFERS_MAX_ROWS)]
    client.force_login(member.user)
    assert upload(client, csv_upload(rows)).status_code == 302
    pending = listings_of(member).filter(title__startswith="Bulk offer ", live=False)
    assert pending.count() == settings.TRANSFERS_MAX_ROWS
