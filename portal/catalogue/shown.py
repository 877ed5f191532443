"""What a company's page shows of the catalogue without linking to it (its live products),
for the static export's incremental builds and the page cache's purge."""

from collections import defaultdict
from typing import Any

from wagtail.models import Page

from .models import ProductPage

COMPANY_PRODUCTS_SHOWN = 6


def company_products(company_id: int):
    """The company's live, public products, as its page lists them."""
    return (
        ProductPage.objects.live()
        .public()
        .filter(company_id=company_id)
        .select_related("category", "company")
        .prefetch_related("images__image")
        .order_by("-first_published_at", "-pk")
    )


def shown_content(root: Page) -> dict[int, list[Any]]:
    """Each company page of the portal at ``root`` shows its first live products, each as
    its current revision."""
    shown: dict[int, list[Any]] = defaultdict(list)
    rows = (
        ProductPage.objects.live()
        .public()
        .descendant_of(root)
        .order_by("-first_published_at", "-pk")
        .values_list("company_id", "pk", "live_revision_id")
    )
    for company_id, pk, revision in rows:
        if len(shown[company_id]) < COMPANY_PRODUCTS_SHOWN:
            shown[company_id].append((pk, revision))
    return shown
