"""What a series page shows beyond its fields: the chart, the latest value and its changes,
the points as a table, and the schema.org ``Dataset`` that describes the downloads."""

from typing import Any

from markupsafe import Markup

from portal.core.charts import LineSeries, line_chart

from .method import CARRIED
from .models import STATUS_LABELS, PriceSeriesPage, latest, points_by_series


def series_context(page: PriceSeriesPage) -> dict[str, Any]:
    points = points_by_series([page]).get(page.pk, [])
    summary = latest(page, points)
    return {
        "points": points,
        "table_points": points[: -TABLE_POINTS - 1 : -1],  # the latest, newest first
        "status_labels": STATUS_LABELS,
        "latest": summary,
        "chart": series_chart(page, points),
        "dataset_jsonld": dataset_jsonld(page, points),
    }


TABLE_POINTS = 53  # rows of the page's table; every point is in the downloads


def series_chart(page: PriceSeriesPage, points: list) -> Markup:
    shown = [p for p in points if p.value is not None]
    values = [float(p.value) for p in shown]
    description = (
        f"{len(shown)} points from {shown[0].period_end:%d %B %Y} "
        f"to {shown[-1].period_end:%d %B %Y}, "
        f"between {min(values):,.2f} and {max(values):,.2f} {page.unit_label}; "
        "the band is the range of the inputs, hollow points were carried forward."
        if shown
        else "No point has been assessed yet."
    )
    return line_chart(
        chart_id=f"series-{page.pk}",
        title=f"{page.title} ({page.unit_label})",
        description=description,
        x=[p.period_end for p in shown],
        series=[
            LineSeries(
                label=page.title,
                values=values,
                low=[float(p.low) if p.low is not None else None for p in shown],
                high=[float(p.high) if p.high is not None else None for p in shown],
                marked=[p.status == CARRIED for p in shown],
            )
        ],
        y_label=page.unit_label,
    )


def dataset_jsonld(page: PriceSeriesPage, points: list) -> dict[str, Any]:
    """schema.org ``Dataset`` data (the template embeds it with ``tojson``, which escapes it
    for a ``<script>`` element)."""
    site = page.portal_site  # the request's, already known
    site_root = site.root_url if site else ""
    dated = [p.period_end for p in points]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": page.title,
        "description": page.description
        or f"{page.category.name} prices, {page.basis}, in {page.unit_label}, {page.frequency}.",
        "url": f"{site_root}{page.url}",
        "isAccessibleForFree": True,
        "creator": {
            "@type": "Organization",
            "name": site.site_name if site else "",
        },
        "variableMeasured": {
            "@type": "PropertyValue",
            "name": f"{page.category.name} price",
            "unitText": page.unit_label,
        },
        "measurementTechnique": f"{site_root}{page.section_url}methodology/",
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": kind,
                "contentUrl": f"{site_root}{page.download_url(suffix)}",
            }
            for suffix, kind in (("csv", "text/csv"), ("json", "application/json"))
        ],
    }
    if dated:
        data["temporalCoverage"] = f"{min(dated).isoformat()}/{max(dated).isoformat()}"
    return data
