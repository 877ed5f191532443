"""What the leads app adds to pages (``portal_page_context`` hooks, see ``wagtail_hooks.py``):
the enquiry form of franchise and investment pages, a company's response figures."""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from portal.core.context import portal_for_request
from portal.directory.models import CompanyPage
from portal.rendering import blank_form, per_build

from .forms import EnquiryForm
from .pages import is_closed, takes_enquiries
from .responses import ResponseFigures, company_figures, figures_of

RESPONSE_FACT = "leads/_response_fact.html"


def enquiry_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if not takes_enquiries(page):
        return
    portal = portal_for_request(request)
    context["enquiries_closed"] = is_closed(page)
    if portal is not None and not context["enquiries_closed"]:
        context.setdefault("enquiry_form", blank_form(request, EnquiryForm, portal=portal.settings))


def response_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if isinstance(page, CompanyPage):
        every = per_build(request, ("response-figures",), company_figures)
        if every is None:
            context["response_figures"] = figures_of(page.pk)
        else:
            context["response_figures"] = every.get(page.pk, ResponseFigures())
        context.setdefault("company_facts", []).append(RESPONSE_FACT)
