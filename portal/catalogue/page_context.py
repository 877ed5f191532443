"""What the catalogue adds to a company's page: its live products and a link to its whole
catalogue (a ``portal_page_context`` hook, so the directory knows nothing of products)."""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from portal.directory.models import CompanyPage

from .models import ProductIndexPage
from .shown import COMPANY_PRODUCTS_SHOWN, company_products

SECTION_TEMPLATE = "catalogue/_company_products.html"


def company_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if not isinstance(page, CompanyPage):
        return
    products = list(company_products(page.pk)[:COMPANY_PRODUCTS_SHOWN])
    if not products:
        return
    context["company_products"] = products
    index = ProductIndexPage.objects.live().ancestor_of(products[0]).first()
    context["company_catalogue_url"] = (
        index.company_url(request, page.slug) if index is not None and page.live else ""
    )
    context.setdefault("company_sections", []).append(SECTION_TEMPLATE)
