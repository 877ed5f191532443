"""A member downloads their own listings, inquiries and quotes, and nobody else's; text that a
spreadsheet would run as a formula is neutralised."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.board import lifecycle
from portal.board.models import BuyRequestPage, Inquiry, Quote, SellOfferPage
from portal.transfers.spreadsheets import Sheet, csv_bytes, neutralise, xlsx_bytes

from ..conftest import host
from .conftest import STEEL

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.test","click")'


def rows_of(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def post(member, title: str, model=SellOfferPage, home=None) -> SellOfferPage:
    """A listing of ``member`` submitted to their portal's board, modelled on a demo one."""
    home = home or member.site.root_page
    model_page = model.objects.descendant_of(home).first()
    page = model(
        title=title,
        category_id=model_page.category_id,
        region_id=model_page.region_id,
        description=f"{title}.",
        quantity=model_page.quantity,
        unit=model_page.unit,
        currency=model_page.currency,
    )
    return lifecycle.submit_listing(page, model_page.get_parent().specific, member)


@pytest.fixture
def others(steel, textiles, make_member):
    """Another member of steel, and the member's own membership of textiles."""
    return make_member(steel, "rival")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_member_downloads_only_their_own_listings(client, member, others, fmt, textiles, site_of):
    from portal.members.models import Membership

    mine = post(member, "My own offer")
    post(others, "The rival's offer")
    elsewhere = Membership.objects.create(user=member.user, site=site_of(textiles), company=None)
    post(elsewhere, "My textiles offer", home=textiles)
    client.force_login(member.user)
    response = client.get(f"/members/transfers/export/?data=listings&format={fmt}", HTTP_HOST=STEEL)
    assert response.status_code == 200
    assert f'.{fmt}"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][:4] == ["id", "status", "kind", "title"]
    titles = [row[3] for row in rows[1:]]
    assert "My own offer" in titles
    assert "The rival's offer" not in titles and "My textiles offer" not in titles
    row = next(row for row in rows if row[3] == "My own offer")
    assert row[0] == str(mine.pk) and row[1] == "Awaiting moderation"


def test_inquiries_and_quotes_are_the_members_own(client, member, others, steel):
    request = post(member, "My request for coils", model=BuyRequestPage)
    theirs = post(others, "Their request", model=BuyRequestPage)
    site = member.site
    Inquiry.objects.create(
        listing=request, site=site, name="Buyer One", email="b@x.test", message="Mine?"
    )
    Inquiry.objects.create(
        listing=theirs, site=site, name="Buyer Two", email="c@x.test", message="Theirs?"
    )
    quote = dict(price=100, currency="USD", quantity=1, lead_time_days=9)
    Quote.objects.create(request=request, membership=others, message="To me", **quote)
    Quote.objects.create(request=theirs, membership=member, message="From me", **quote)
    third = post(others, "Someone else's", model=BuyRequestPage)
    Quote.objects.create(request=third, membership=others, message="Not mine at all", **quote)
    client.force_login(member.user)

    inquiries = rows_of(client.get("/members/transfers/export/?data=inquiries", HTTP_HOST=STEEL))
    names = [row[3] for row in inquiries[1:]]
    assert names == ["Buyer One"]

    quotes = rows_of(
        client.get("/members/transfers/export/?data=quotes&format=xlsx", HTTP_HOST=STEEL)
    )
    found = {(row[0], row[-1]) for row in quotes[1:]}
    assert found == {("received", "To me"), ("sent", "From me")}


def test_exports_neutralise_formulas(client, member):
    post(member, FORMULA)
    client.force_login(member.user)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            f"/members/transfers/export/?data=listings&format={fmt}", HTTP_HOST=STEEL
        )
        titles = [row[3] for row in rows_of(response)[1:]]
        assert "'" + FORMULA in titles, fmt
        assert FORMULA not in titles, fmt


def test_neutralise_leaves_numbers_and_plain_text():
    from decimal import Decimal

    assert [neutralise(v) for v in ("=1+1", "+44 20", "-5", "@SUM(A1)", "\tx", "rebar")] == [
        "'=1+1",
        "'+44 20",
        "'-5",
        "'@SUM(A1)",
        "'\tx",
        "rebar",
    ]
    assert neutralise(Decimal("-5")) == Decimal("-5") and neutralise(-5) == -5
    sheet = Sheet("S", ["a", "b"], [["=cmd|' /C calc'!A0", Decimal("-2.5")]])
    assert "'=cmd" in csv_bytes(sheet).decode("utf-8-sig")
    cells = next(load_workbook(io.BytesIO(xlsx_bytes([sheet]))).worksheets[0].iter_rows(min_row=2))
    assert cells[0].data_type == "s" and cells[0].value.startswith("'=")
    assert cells[1].value == -2.5


def test_exports_need_a_member(client, steel, member):
    response = client.get("/members/transfers/export/?data=listings", HTTP_HOST=STEEL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member.user)
    assert client.get("/members/transfers/export/?data=users", HTTP_HOST=STEEL).status_code == 404
    assert (
        client.get(
            "/members/transfers/export/?data=listings&format=pdf", HTTP_HOST=STEEL
        ).status_code
        == 404
    )
    # Not a member of textiles: sent to join it, nothing downloaded.
    response = client.get("/members/transfers/export/?data=listings", HTTP_HOST=host("textiles"))
    assert response.status_code == 302 and "/members/join/" in response["Location"]
