"""Reading uploads: what a cell becomes, which rows count, which files are refused."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.transfers.reading import Refused, read_upload

from .conftest import xlsx_upload


def read(name: str, content: bytes, max_bytes: int = 10_000, max_rows: int = 10):
    return read_upload(SimpleUploadedFile(name, content), max_bytes, max_rows)


def test_rows_keep_their_spreadsheet_numbers_when_empty_ones_are_skipped():
    table = read("a.csv", b"Kind,Price Min\r\nsell,1\r\n,\r\n\r\nbuy,2\r\n")
    assert table.columns == ["kind", "price_min"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"kind": "sell", "price_min": "1"}),
        (5, {"kind": "buy", "price_min": "2"}),
    ]


def test_xlsx_cells_become_the_text_a_form_reads():
    file = xlsx_upload(
        [
            ["kind", "quantity", "price_min", "valid_until", "required_by", "title"],
            ["sell", 2000.0, 12.5, datetime(2030, 1, 31), date(2030, 2, 1), "  Rebar  "],
        ]
    )
    table = read_upload(file, 100_000, 10)
    assert table.rows[0].values == {
        "kind": "sell",
        "quantity": "2000",
        "price_min": "12.5",
        "valid_until": "2030-01-31",
        "required_by": "2030-02-01",
        "title": "Rebar",
    }


@pytest.mark.parametrize(
    "content, message",
    [
        (b"kind,kind\nsell,buy\n", "more than once"),
        (b"kind\n" + b"sell\n" * 11, "more than 10 listings"),
        (b"kind\n" + b"x" * 10_000, "files of up to 10 KB"),
    ],
)
def test_files_refused_whole(content, message):
    with pytest.raises(Refused, match=message):
        read("a.csv", content)
