"""The leads app's Wagtail hooks: what it adds to pages, and its admin report."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core.admin_reports import PortalReportMenuItem
from portal.core.models import PAGE_CONTEXT_HOOK

from .page_context import enquiry_context, response_context
from .reports import ResponsesReport

hooks.register(PAGE_CONTEXT_HOOK, enquiry_context)
hooks.register(PAGE_CONTEXT_HOOK, response_context)


admin_urls = [
    path("", ResponsesReport.as_view(), name="responses"),
    path("results/", ResponsesReport.as_view(results_only=True), name="responses_results"),
]


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("leads/", include((admin_urls, "leads_admin"), namespace="leads_admin"))]


@hooks.register("register_reports_menu_item")
def register_responses_report() -> MenuItem:
    return PortalReportMenuItem(
        "Response rates",
        reverse("leads_admin:responses"),
        name="response-rates",
        icon_name="mail",
        order=1120,
    )
