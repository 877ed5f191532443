"""The search document of a sell offer or buy request."""

from typing import Any

from .models import TradeListingPage


def listing_document(page: TradeListingPage) -> dict[str, Any]:
    extra = [getattr(page, "specification", ""), page.company.title if page.company else ""]
    return {
        "kind": page.kind,
        "body": "\n".join([page.description, *filter(None, extra)]),
        "region": page.region,
        "price": page.price_min,
        "currency": page.currency,
        "unit": page.unit,
        "expires_on": page.valid_until,
        "categories": [page.category],
    }
