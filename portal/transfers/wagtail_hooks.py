"""The editors' exports in the admin: their URLs and their place in the Reports menu."""

from portal.core.admin_reports import (
    register_report_menu_item,
    register_report_urls,
    report_paths,
)

from .reports import CompaniesReport, ListingsReport, ProductsReport

admin_urls = [
    *report_paths(ListingsReport, "listings", "listings/"),
    *report_paths(CompaniesReport, "companies", "companies/"),
    *report_paths(ProductsReport, "products", "products/"),
]

register_report_urls("exports/", "transfers_admin", admin_urls)


for label, url_name, name, order in [
    ("Listings export", "transfers_admin:listings", "listings-export", 1100),
    ("Companies export", "transfers_admin:companies", "companies-export", 1110),
    ("Products export", "transfers_admin:products", "products-export", 1120),
]:
    register_report_menu_item(label, url_name, name=name, icon_name="download", order=order)
