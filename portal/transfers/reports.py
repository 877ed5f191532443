"""Editors' exports in the admin: a portal's listings and companies as CSV or XLSX.

Each user sees the rows of the pages they may explore (their own portal's; every portal's
for a superuser), with a filter by portal among those; text cells are neutralised against
CSV injection."""

import django_filters
from django.db.models import QuerySet
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr
from wagtail.models import Page, Site

from portal.board.models import TradeListingPage
from portal.core.admin_scope import explorable_pages, visible
from portal.directory.models import CompanyPage

from .spreadsheets import neutralise


def visible_sites(user) -> list[Site]:
    """The portals whose home page ``user`` may explore."""
    homes = explorable_pages(user).filter(depth__gt=1).values("pk")
    return list(Site.objects.filter(root_page__in=homes).select_related("root_page"))


class PortalFilterSet(WagtailFilterSet):
    """One of the user's portals, by its home page's path."""

    portal = django_filters.ChoiceFilter(
        label="Portal", method="filter_portal", empty_label="All your portals"
    )

    class Meta:
        model = Page
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sites = visible_sites(self.request.user)
        self.filters["portal"].extra["choices"] = [
            (site.root_page.path, site.site_name or site.hostname) for site in sites
        ]

    def filter_portal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(path__startswith=value) if value else queryset


class PortalRowsReport(ReportView):
    """A report of one page type's rows, limited to the pages the user may explore; its
    ``portal`` column names the portal of each row."""

    model: type[Page]
    related: tuple[str, ...] = ()
    filterset_class = PortalFilterSet
    export_headings = {"portal": "Portal"}
    header_icon = "download"

    @cached_property
    def portal_names(self) -> list[tuple[str, str]]:
        """Each site's home path and name, the deepest first."""
        sites = Site.objects.select_related("root_page")
        names = [(site.root_page.path, site.site_name or site.hostname) for site in sites]
        return sorted(names, key=lambda pair: -len(pair[0]))

    def portal_of(self, page: Page) -> str:
        return next((name for path, name in self.portal_names if page.path.startswith(path)), "")

    def get_queryset(self) -> QuerySet:
        rows = self.model.objects.select_related(*self.related).order_by("path")
        return visible(self.request.user, self.model, rows)

    def preprocess_field_value(self, field: str, value: object, export_format: str) -> object:
        """The cell as Wagtail writes it (objects as their names), then neutralised."""
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def to_row_dict(self, item: Page) -> dict:
        return {
            field: self.portal_of(item) if field == "portal" else multigetattr(item, field)
            for field in self.list_export
        }


class ListingsReport(PortalRowsReport):
    page_title = "Board listings"
    model = TradeListingPage
    related = ("category__parent", "region", "company")
    index_url_name = "transfers_admin:listings"
    index_results_url_name = "transfers_admin:listings_results"
    export_filename = "listings"
    list_export = [
        "portal",
        "pk",
        "kind",
        "title",
        "live",
        "category",
        "region",
        "company",
        "description",
        "quantity",
        "unit",
        "price_min",
        "price_max",
        "currency",
        "incoterm",
        "valid_until",
        "first_published_at",
        "closed_on",
        "close_reason",
    ]
    export_headings = {
        **PortalRowsReport.export_headings,
        "pk": "ID",
        "first_published_at": "First published",
    }
    columns = [
        Column("title", label="Listing"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("category", label="Category"),
        Column("region", label="Region"),
        Column("company", label="Company"),
        Column("live", label="Live"),
        Column("valid_until", label="Valid until"),
    ]


class CompaniesReport(PortalRowsReport):
    page_title = "Companies"
    model = CompanyPage
    related = ("region",)
    index_url_name = "transfers_admin:companies"
    index_results_url_name = "transfers_admin:companies_results"
    export_filename = "companies"
    list_export = [
        "portal",
        "pk",
        "title",
        "live",
        "country",
        "city",
        "region",
        "website",
        "year_established",
        "employees",
        "verified_by",
        "verified_on",
        "verification_expires",
        "first_published_at",
    ]
    export_headings = {
        **PortalRowsReport.export_headings,
        "pk": "ID",
        "first_published_at": "First published",
    }
    columns = [
        Column("title", label="Company"),
        Column("country", label="Country"),
        Column("city", label="City"),
        Column("region", label="Region"),
        Column("live", label="Live"),
    ]
