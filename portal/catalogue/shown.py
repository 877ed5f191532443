"""What a company's page shows of the catalogue without linking to it (its live products),
for the static export's incremental builds and the page cache's purge."""

from typing import Any

from wagtail.models import Page

from portal.core.loading import first_of_each
from portal.core.models.pages import NEWEST_FIRST

from .models import ProductPage

COMPANY_PRODUCTS_SHOWN = 6


def live_products():
    """Live, public products, as a company's page lists them: the newest first, with what
    their cards show."""
    return (
        ProductPage.objects.live()
        .public()
        .select_related("category", "company")
        .prefetch_related("images__image")
        .order_by(*NEWEST_FIRST)
    )


def company_products(company_id: int):
    """The company's live, public products, as its page lists them."""
    return live_products().filter(company_id=company_id)


def shown_content(root: Page) -> dict[int, list[Any]]:
    """Each company page of the portal at ``root`` shows its first live products, each as
    its current revision."""
    rows = (
        ProductPage.objects.live()
        .public()
        .descendant_of(root)
        .order_by(*NEWEST_FIRST)
        .values_list("company_id", "pk", "live_revision_id")
    )
    pairs = ((company_id, (pk, revision)) for company_id, pk, revision in rows)
    return first_of_each(pairs, COMPANY_PRODUCTS_SHOWN)
