"""Demo market reports: a CSV of monthly figures made in code, stored as a Wagtail document and
attached to the report; some reports kept for the portal's members (see ``privacy.py``)."""

import csv
import io
import random
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from .models import ReportDocument
from .privacy import members_only_collection

if TYPE_CHECKING:
    from portal.demo.context import DemoContext


def is_report(number: int) -> bool:
    """Every other demo article is a market report..."""
    return number % 2 == 1


def is_members_only(number: int) -> bool:
    """...and every other report is for members only."""
    return number % 4 == 3


def report_csv(rng: random.Random, day: date, category: str, region: str) -> bytes:
    """Six months of volumes and a price index up to ``day``: the same for the same draw."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "category", "region", "volume_tonnes", "price_index"])
    volume, index = rng.randint(800, 5000), 100.0
    for back in range(5, -1, -1):
        month = (day.month - back - 1) % 12 + 1
        year = day.year - (1 if month > day.month else 0)
        volume = max(100, volume + rng.randint(-300, 300))
        index = round(index * (1 + rng.uniform(-0.04, 0.05)), 1)
        writer.writerow([f"{year}-{month:02d}", category, region, volume, index])
    return out.getvalue().encode()


def report_values(
    ctx: "DemoContext", number: int, slug: str, day: date, category: str, region: str
) -> dict[str, Any]:
    """What :func:`attach_reports` needs to make the report's document (and restriction)."""
    private, groups = members_only_collection(ctx.settings.collection)
    members_only = is_members_only(number) and bool(groups)
    public = ctx.settings.collection or private
    return {
        "title": f"{category} in {region}: monthly figures",
        "name": f"{slug[:50]}.csv",
        "data": report_csv(ctx.rng("report", number), day, category, region),
        "collection": private.pk if members_only else public.pk,
        "groups": [group.pk for group in groups] if members_only else [],
    }


def attach_reports(pages: list[Page], relations: list[dict[str, Any]]) -> None:
    """Store each inserted report's document, attach it, and restrict members-only ones."""
    document_model = get_document_model()
    for page, related in zip(pages, relations, strict=True):
        report = related.get("report")
        if not report:
            continue
        document = document_model(title=report["title"], collection_id=report["collection"])
        document.file = ContentFile(report["data"], name=report["name"])
        document._set_document_file_metadata()
        document.save()
        ReportDocument.objects.create(page_id=page.pk, document=document, sort_order=0)
        if report["groups"]:
            restriction = PageViewRestriction.objects.create(
                page_id=page.pk, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.set(report["groups"])
