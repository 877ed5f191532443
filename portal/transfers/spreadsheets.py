"""Writing CSV and XLSX downloads, with every text cell safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse

from portal.core.admin_reports import neutralise

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Sheet:
    """One table of a download: a CSV file, or a sheet of a workbook."""

    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence[object]]


def _plain(value: object) -> object:
    """A value as a cell holds it: text neutralised, datetimes naive in UTC, None empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return neutralise(value)


def csv_bytes(sheet: Sheet) -> bytes:
    """``sheet`` as UTF-8 CSV with a byte order mark (so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(heading) for heading in sheet.headings])
    for row in sheet.rows:
        writer.writerow([_csv_text(_plain(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode()


def _csv_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """``sheets`` as one workbook; dates are dates, numbers numbers, text never a formula."""
    from openpyxl import Workbook  # here: a tenth of a second to import, for downloads only

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.append([neutralise(heading) for heading in sheet.headings])
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, _plain(value)) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(worksheet, value: object) -> "WriteOnlyCell":
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    if cell.data_type == "f":  # openpyxl takes any text starting with "=" for a formula
        cell.data_type = "s"
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def download(sheets: Sequence[Sheet], fmt: str, filename: str) -> HttpResponse:
    """A download of ``sheets`` as ``filename``.csv (the first sheet) or .xlsx (all of them)."""
    content = csv_bytes(sheets[0]) if fmt == CSV else xlsx_bytes(sheets)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
