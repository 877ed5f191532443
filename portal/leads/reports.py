"""The association's report in the admin: per company of a portal, its open listings, the
inquiries and enquiries it received in the last 90 days, how many got a reply, its response
rate and median time to reply; CSV or XLSX. Each portal's staff see their own portal's."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from wagtail.admin.ui.tables import Column

from portal.board.models import TradeListingPage
from portal.core.admin_reports import PortalRowsReport, visible_sites
from portal.directory.models import CompanyPage

from .responses import ResponseFigures, company_figures


def open_listings_count() -> Subquery:
    """How many open board listings the company of the row has."""
    listings = (
        TradeListingPage.objects.open()
        .filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(listings, output_field=IntegerField()), 0)


class ResponsesReport(PortalRowsReport):
    page_title = "Inquiries and response rates"
    model = CompanyPage
    index_url_name = "leads_admin:responses"
    export_filename = "response-rates"
    list_export = [
        "portal",
        "pk",
        "title",
        "live",
        "open_listings",
        "received",
        "replied",
        "rate_percent",
        "median_hours",
    ]
    export_headings = {
        **PortalRowsReport.export_headings,
        "title": "Company",
        "open_listings": "Open listings",
        "received": "Inquiries received (90 days)",
        "replied": "Replied",
        "rate_percent": "Response rate (%)",
        "median_hours": "Median response time (hours)",
    }
    columns = [
        Column("title", label="Company"),
        Column("open_listings", label="Open listings"),
        Column("received", label="Inquiries (90 days)"),
        Column("replied", label="Replied"),
        Column("rate_percent", label="Response rate (%)"),
        Column("median_hours", label="Median response time (hours)"),
    ]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not visible_sites(request.user):  # staff of no portal
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().annotate(open_listings=open_listings_count())

    def decorate_paginated_queryset(self, object_list):
        companies = list(object_list)
        found = company_figures([company.pk for company in companies])
        for company in companies:
            figures = found.get(company.pk, ResponseFigures())
            company.received, company.replied = figures.received, figures.replied
            company.rate_percent = round(figures.rate * 100, 1) if figures.received else None
            company.median_hours = (
                round(figures.median.total_seconds() / 3600, 1) if figures.median else None
            )
        return companies
