"""The query parameters of the list endpoints: the search page's facets (same names, same
values: ``kind``, ``category``, ``region``, ``price``, ``posted``, ``sort``), ``q`` and
paging. Values that depend on the portal (category slugs, region codes, price ranges) are
checked against it in ``facets.py``."""

from typing import Annotated, Any, Literal

from ninja import Path, Schema
from pydantic import ConfigDict, Field

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 10_000

# An id the database can hold (a path parameter that is no such number answers 404).
ItemId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Posted = Literal["1d", "7d", "30d", "90d"]  # as search.query.POSTED


def many(description: str = "Repeat to choose several (any of them).") -> Any:
    """A multi-valued parameter (``?region=asia&region=europe``)."""
    return Field(default_factory=list, description=description)


class Filters(Schema):
    """Paging and the text filter, common to every list."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")
    q: str = Field("", max_length=200, description="Words the title contains.")


class SortFilter(Filters):
    sort: Literal["relevance", "newest"] = Field(
        "relevance", description="`relevance`: the section's own order."
    )
    posted: Posted | None = Field(None, description="Published in the past day, week...")


class PricedSortFilter(SortFilter):
    sort: Literal["relevance", "newest", "price_asc", "price_desc"] = Field(  # type: ignore[assignment]
        "relevance", description="`relevance`: the section's own order."
    )
    price: list[str] = many("Price ranges as the search page names them: `500-1000`.")


class ListingFilters(PricedSortFilter):
    kind: list[Literal["sell", "buy"]] = many("Sell offers, buy requests.")
    category: list[str] = many()
    region: list[str] = many()


class CompanyFilters(SortFilter):
    category: list[str] = many()
    region: list[str] = many()


class NewsFilters(SortFilter):
    kind: list[Literal["report"]] = many("Market reports only.")
    category: list[str] = many()


class EventFilters(SortFilter):
    kind: list[Literal["site", "web", "both"]] = many("In person, online or hybrid.")
    region: list[str] = many()


class FranchiseFilters(PricedSortFilter):
    category: list[str] = many()


class InvestmentFilters(PricedSortFilter):
    category: list[str] = many()
    region: list[str] = many()


class PriceSeriesFilters(Filters):
    category: list[str] = many()
    region: list[str] = many()
