"""Reading an uploaded CSV or XLSX file into rows of text, or refusing it with a reason."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files.uploadedfile import UploadedFile

ZIP_MAGIC = b"PK\x03\x04"
MEGABYTE = 1024 * 1024


class Refused(Exception):
    """The upload as a whole cannot be read; the message says why, for the member."""


@dataclass(frozen=True)
class Row:
    number: int  # as the member's spreadsheet numbers it; the headings are row 1
    values: dict[str, str]


@dataclass
class Table:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def column_name(heading: object) -> str:
    """A heading as a column name: ``Price min`` and ``price_min`` are the same column."""
    return "_".join(str(heading or "").strip().lower().split())


def file_size(size: int) -> str:
    """``size`` bytes as people read it: 1.5 MB, 200 KB."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def read_upload(upload: UploadedFile, max_bytes: int, max_rows: int) -> Table:
    """The rows of ``upload`` (a CSV or XLSX file), empty rows left out.

    Raises ``Refused`` for a file that is too big, has too many rows, or is neither CSV nor
    XLSX."""
    name = (upload.name or "").lower()
    data = upload.read(max_bytes + 1)
    size = max(upload.size or 0, len(data))
    if size > max_bytes:
        raise Refused(
            f"The file is {file_size(size)}; files of up to {file_size(max_bytes)} are taken. "
            "Split it into smaller files."
        )
    if name.endswith(".xlsx") or data.startswith(ZIP_MAGIC):
        records = _xlsx_records(data)
    elif name.endswith(".csv"):
        records = _csv_records(data)
    else:
        raise Refused("Upload a CSV (.csv) or Excel (.xlsx) file.")
    return _table(records, max_rows)


def _table(records, max_rows: int) -> Table:
    """Headings from the first record; rows that hold something from the rest."""
    try:
        headings = next(records)
    except StopIteration:
        raise Refused("The file is empty.") from None
    columns = [column_name(heading) for heading in headings]
    named = [name for name in columns if name]
    if len(named) != len(set(named)):
        twice = sorted({name for name in named if named.count(name) > 1})
        raise Refused(f"These columns appear more than once: {', '.join(twice)}.")
    table = Table(columns=named)
    for number, record in enumerate(records, start=2):
        values = {name: _text(value) for name, value in zip(columns, record, strict=False) if name}
        if not any(values.values()):
            continue
        if len(table.rows) == max_rows:
            raise Refused(
                f"The file has more than {max_rows} listings; split it into files of at most "
                f"{max_rows} rows."
            )
        table.rows.append(Row(number, values))
    return table


def _csv_records(data: bytes):
    if b"\x00" in data:
        raise Refused("This is not a CSV file. Upload a CSV (.csv) or Excel (.xlsx) file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(
            "The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
        ) from None
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from reader
    except csv.Error as error:
        raise Refused(f"The CSV file could not be read: {error}.") from None


def _xlsx_records(data: bytes):
    from openpyxl import load_workbook  # here: a tenth of a second to import, for uploads only

    try:
        # data_only: a formula is read as the value the spreadsheet last worked out for it
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise Refused(
            "This is not an Excel (.xlsx) file that can be read. Upload a CSV (.csv) or "
            "Excel (.xlsx) file."
        ) from None
    try:
        sheet = (
            workbook["Listings"] if "Listings" in workbook.sheetnames else workbook.worksheets[0]
        )
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _text(value: object) -> str:
    """A cell as the text a form field reads: dates in ISO form, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
