"""A series' points as CSV and JSON, on the live site and in the static copy."""

import csv
import json

from django.http import Http404, HttpRequest, HttpResponse

from portal.core.context import portal_site

from .models import PriceIndexPage, PriceSeriesPage

CSV_FIELDS = (
    "date",
    "value",
    "low",
    "high",
    "status",
    "inputs",
    "companies",
    "trimmed",
    "capped",
    "corrected",
    "previous_values",
)


def _series(request: HttpRequest, section: str, series: str) -> PriceSeriesPage:
    site = portal_site(request)
    if site is None:
        raise Http404("No portal here")
    index = (
        PriceIndexPage.objects.live().public().child_of(site.root_page).filter(slug=section).first()
    )
    page = (
        PriceSeriesPage.objects.live().public().child_of(index).filter(slug=series).first()
        if index is not None
        else None
    )
    if page is None:
        raise Http404("No such price series")
    return page


def series_csv(request: HttpRequest, section: str, series: str) -> HttpResponse:
    page = _series(request, section, series)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{page.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow([*CSV_FIELDS[:1], f"value ({page.unit_label})", *CSV_FIELDS[2:]])
    for point in page.published_points():
        row = point.as_row()
        row["previous_values"] = " ".join(str(v) for v in row["previous_values"])
        writer.writerow(["" if row[name] is None else row[name] for name in CSV_FIELDS])
    return response


def series_json(request: HttpRequest, section: str, series: str) -> HttpResponse:
    page = _series(request, section, series)
    data = {
        "series": page.title,
        "product": page.category.name,
        "specification": page.specification,
        "basis": page.basis,
        "unit": page.unit,
        "currency": page.currency,
        "frequency": page.frequency,
        "method": page.method,
        "url": page.full_url,
        "points": [point.as_row() for point in page.published_points()],
    }
    return HttpResponse(
        json.dumps(data, indent=1, ensure_ascii=False), content_type="application/json"
    )
