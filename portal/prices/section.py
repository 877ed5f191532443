"""Prices as a section type: everything it brings to a portal, declared once."""

from typing import Any

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .demo import HISTORY_SEED, history_count, history_listing, retire_history
from .launch import sync_series
from .models import PriceSeriesPage
from .options import PricesOptions
from .shown import series_files, shown_content


def series_document(page: PriceSeriesPage) -> dict[str, Any]:
    return {
        "body": "\n".join(
            part
            for part in (
                page.description,
                f"{page.category.name} {page.specification}".strip(),
                f"Basis: {page.basis}. Unit: {page.unit_label}, {page.frequency}.",
            )
            if part
        ),
        "unit": page.unit,
        "currency": page.currency,
        "region": page.region,
        "categories": [page.category],
    }


PRICES = SectionType(
    key="prices",
    title="Prices",
    index_model="prices.PriceIndexPage",
    search=(
        SearchDocumentType(
            key="price",
            label="Price series",
            noun="Price series",
            model="prices.PriceSeriesPage",
            build=series_document,
            select_related=("category__parent", "region"),
        ),
    ),
    shown_content=shown_content,
    export_files=series_files,
    urls="portal.prices.urls",
    # A year of closed offers and requests on the board, for the series to be assessed from.
    demo=DemoContent(
        noun="price history listings",
        seed=HISTORY_SEED,
        count=history_count,
        build=history_listing,
        max_age_days=365,
        order=5,
        after_insert=retire_history,
        parent="board",
    ),
    options=PricesOptions,
    launch=sync_series,
    default=False,  # only in portals whose industry file lists it, with its series
)
