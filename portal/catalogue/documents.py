"""The search document of a product."""

from typing import Any

from .models import ProductPage


def product_document(page: ProductPage) -> dict[str, Any]:
    specification = [f"{name} {value}" for name, value in page.specification or []]
    company = page.company
    return {
        "body": "\n".join([page.summary, *specification, company.title if company else ""]),
        "region": company.region if company else None,
        "price": page.price_min,
        "currency": page.currency,
        "unit": page.unit,
        "categories": [page.category],
    }


def company_product_ids(company) -> list[int]:
    """A product's search document shows its company's name (and region)."""
    return list(ProductPage.objects.live().filter(company=company).values_list("pk", flat=True))
