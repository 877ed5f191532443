"""The association's report of sponsored placement: impressions, clicks and click-through
rate per sponsorship and house ad over a range of days, as CSV or XLSX, for the user's
portals only."""

import django_filters
from django import forms
from django.db.models import Case, CharField, F, Max, Min, QuerySet, Sum, Value, When
from wagtail.admin.ui.tables import Column

from portal.core.admin_reports import SiteFilterSet, SiteRowsReport

from .models import DailyCount

DAY = forms.DateInput(attrs={"type": "date"})


class PlacementFilterSet(SiteFilterSet):
    """The portal, and the first and last day counted."""

    since = django_filters.DateFilter(field_name="day", lookup_expr="gte", label="From", widget=DAY)
    until = django_filters.DateFilter(field_name="day", lookup_expr="lte", label="To", widget=DAY)

    class Meta:
        model = DailyCount
        fields: list[str] = []


def click_rate(row: dict) -> str:
    """Clicks per hundred impressions, with one decimal ("–" before any impression)."""
    shown = row.get("impressions") or 0
    return f"{100 * (row.get('clicks') or 0) / shown:.1f}%" if shown else "–"


class PlacementReport(SiteRowsReport):
    page_title = "Sponsored placement"
    model = DailyCount
    filterset_class = PlacementFilterSet
    index_url_name = "sponsored_reports:placement"
    export_filename = "sponsored-placement"
    list_export = [
        "portal",
        "item",
        "kind",
        "advertiser",
        "payer",
        "first_day",
        "last_day",
        "impressions",
        "clicks",
        "ctr",
    ]
    export_headings = {
        **SiteRowsReport.export_headings,
        "item": "Item",
        "kind": "Kind",
        "advertiser": "On behalf of",
        "payer": "Paid by",
        "first_day": "First day counted",
        "last_day": "Last day counted",
        "impressions": "Impressions",
        "clicks": "Clicks",
        "ctr": "Click-through rate",
    }
    columns = [
        Column("item", label="Item"),
        Column("kind", label="Kind"),
        Column("advertiser", label="On behalf of"),
        Column("payer", label="Paid by"),
        Column("impressions", label="Impressions"),
        Column("clicks", label="Clicks"),
        Column("first_day", label="First day"),
        Column("last_day", label="Last day"),
        Column("ctr", label="Click-through rate", accessor=click_rate),
    ]

    def get_rows(self) -> QuerySet:
        """One row per item: the sums of its days (the filters narrow the days)."""
        return (
            DailyCount.objects.values("site_id", "sponsorship_id", "house_ad_id")
            .annotate(
                item=Case(
                    When(sponsorship__isnull=False, then=F("sponsorship__page__title")),
                    default=F("house_ad__title"),
                    output_field=CharField(),
                ),
                kind=Case(
                    When(sponsorship__isnull=False, then=Value("Sponsored")),
                    default=Value("House ad"),
                    output_field=CharField(),
                ),
                advertiser=F("sponsorship__advertiser"),
                payer=F("sponsorship__payer"),
                impressions=Sum("impressions"),
                clicks=Sum("clicks"),
                first_day=Min("day"),
                last_day=Max("day"),
            )
            .order_by("-impressions", "sponsorship_id", "house_ad_id")
        )

    def to_row_dict(self, item: dict) -> dict:
        item = {**item, "ctr": click_rate(item)}
        return super().to_row_dict(item)
