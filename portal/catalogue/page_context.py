"""What the catalogue adds to a company's page: its live products and a link to its whole
catalogue (a ``portal_page_context`` hook, so the directory knows nothing of products)."""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page, Site

from portal.core.loading import rows_of_each
from portal.directory.models import CompanyPage
from portal.rendering import per_build

from .models import ProductIndexPage, ProductPage
from .shown import COMPANY_PRODUCTS_SHOWN, company_products, live_products, shown_content

SECTION_TEMPLATE = "catalogue/_company_products.html"


def company_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if not isinstance(page, CompanyPage):
        return
    products = _products_of(request, page)
    if not products:
        return
    context["company_products"] = products
    index = _index_of(request, products[0])
    context["company_catalogue_url"] = (
        index.company_url(request, page.slug) if index is not None and page.live else ""
    )
    context.setdefault("company_sections", []).append(SECTION_TEMPLATE)


def _products_of(request: HttpRequest, company: CompanyPage) -> list[ProductPage]:
    """The company's first live products; a bulk static build loads those of every company
    of the portal at once."""

    def every_company() -> dict[int, list[ProductPage]]:
        shown = shown_content(Site.find_for_request(request).root_page)
        ids = {company: [pk for pk, _ in products] for company, products in shown.items()}
        return rows_of_each(ids, live_products())

    every = per_build(request, ("company-products",), every_company)
    if every is None:
        return list(company_products(company.pk)[:COMPANY_PRODUCTS_SHOWN])
    return every.get(company.pk, [])


def _index_of(request: HttpRequest, product: ProductPage) -> ProductIndexPage | None:
    """The live products section ``product`` is in (looked up once per static build)."""
    parent_path = product.path[: -product.steplen]
    every = per_build(
        request,
        ("product-sections",),
        lambda: {index.path: index for index in ProductIndexPage.objects.live()},
    )
    if every is None:
        return ProductIndexPage.objects.live().filter(path=parent_path).first()
    return every.get(parent_path)
