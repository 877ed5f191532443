"""The editors' exports in the admin: their URLs and their place in the Reports menu."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core.admin_reports import PortalReportMenuItem

from .reports import CompaniesReport, ListingsReport, ProductsReport

admin_urls = [
    path("listings/", ListingsReport.as_view(), name="listings"),
    path("listings/results/", ListingsReport.as_view(results_only=True), name="listings_results"),
    path("companies/", CompaniesReport.as_view(), name="companies"),
    path(
        "companies/results/",
        CompaniesReport.as_view(results_only=True),
        name="companies_results",
    ),
    path("products/", ProductsReport.as_view(), name="products"),
    path("products/results/", ProductsReport.as_view(results_only=True), name="products_results"),
]


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("exports/", include((admin_urls, "transfers_admin"), namespace="transfers_admin"))]


@hooks.register("register_reports_menu_item")
def register_listings_export() -> MenuItem:
    return PortalReportMenuItem(
        "Listings export",
        reverse("transfers_admin:listings"),
        name="listings-export",
        icon_name="download",
        order=1100,
    )


@hooks.register("register_reports_menu_item")
def register_companies_export() -> MenuItem:
    return PortalReportMenuItem(
        "Companies export",
        reverse("transfers_admin:companies"),
        name="companies-export",
        icon_name="download",
        order=1110,
    )


@hooks.register("register_reports_menu_item")
def register_products_export() -> MenuItem:
    return PortalReportMenuItem(
        "Products export",
        reverse("transfers_admin:products"),
        name="products-export",
        icon_name="download",
        order=1120,
    )
