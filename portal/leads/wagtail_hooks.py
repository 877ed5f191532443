"""The leads app's Wagtail hooks: what it adds to pages, and its admin report."""

from wagtail import hooks

from portal.core.admin_reports import (
    register_report_menu_item,
    register_report_urls,
    report_paths,
)
from portal.core.models import PAGE_CONTEXT_HOOK

from .page_context import enquiry_context, response_context
from .reports import ResponsesReport

hooks.register(PAGE_CONTEXT_HOOK, enquiry_context)
hooks.register(PAGE_CONTEXT_HOOK, response_context)


register_report_urls("leads/", "leads_admin", report_paths(ResponsesReport, "responses"))


register_report_menu_item(
    "Response rates", "leads_admin:responses", name="response-rates", icon_name="mail", order=1120
)
