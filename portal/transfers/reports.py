"""Editors' exports in the admin: a portal's listings, companies and catalogue products as
CSV or XLSX.

Each user sees the rows of the pages they may explore (their own portal's; every portal's
for a superuser), with a filter by portal among those; text cells are neutralised against
CSV injection."""

from wagtail.admin.ui.tables import Column

from portal.board.models import TradeListingPage
from portal.catalogue.models import ProductPage
from portal.core.admin_reports import PortalRowsReport
from portal.directory.models import CompanyPage


class ListingsReport(PortalRowsReport):
    page_title = "Board listings"
    model = TradeListingPage
    related = ("category__parent", "region", "company")
    index_url_name = "transfers_admin:listings"
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
    columns = [
        Column("title", label="Company"),
        Column("country", label="Country"),
        Column("city", label="City"),
        Column("region", label="Region"),
        Column("live", label="Live"),
    ]


class ProductsReport(PortalRowsReport):
    page_title = "Catalogue products"
    model = ProductPage
    related = ("category", "company")
    index_url_name = "transfers_admin:products"
    export_filename = "products"
    list_export = [
        "portal",
        "pk",
        "title",
        "live",
        "company",
        "category",
        "summary",
        "moq",
        "unit",
        "price_min",
        "price_max",
        "currency",
        "first_published_at",
        "withdrawn_on",
    ]
    columns = [
        Column("title", label="Product"),
        Column("company", label="Company"),
        Column("category", label="Category"),
        Column("live", label="Live"),
    ]
