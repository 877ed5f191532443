"""A member's leads as a CSV file, text cells neutralised against spreadsheet formulas."""

import csv
import io

from django.utils import timezone

from portal.core.admin_reports import neutralise

from .inbox import Lead

HEADINGS = [
    "Kind",
    "ID",
    "Received",
    "About",
    "Page",
    "Name",
    "Email",
    "Company",
    "Details",
    "Message",
    "Status",
    "First reply",
    "Notes",
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def lead_row(lead: Lead) -> list[object]:
    row = lead.row
    return [
        lead.source,
        f"{lead.kind}-{lead.pk}",
        _when(row.created_at),
        lead.about,
        lead.page_url(),
        row.name,
        row.email,
        lead.sender_company,
        lead.details,
        row.message,
        row.get_status_display(),
        _when(row.replied_at),
        row.notes,
    ]


def leads_csv(leads: list[Lead]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for lead in leads:
        writer.writerow([neutralise(cell) for cell in lead_row(lead)])
    return out.getvalue()
