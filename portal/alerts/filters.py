"""What a listing alert asks for, and whether a listing is that: matched in Python, so one run
checks every new listing against every alert without asking a search engine each time."""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class ListingFacts:
    """What matching needs to know of a listing, read once per run."""

    pk: int
    site_id: int
    kind: str
    family: frozenset[int]  # its category and that category's parent
    region_id: int
    company_id: int | None
    price: Decimal | None
    prefixes: frozenset[str]  # every start of every word of its text

    def has_prefix(self, term: str) -> bool:
        return term in self.prefixes


def facts_of(listing: Any, site_id: int) -> ListingFacts:
    """The facts of a ``TradeListingPage`` (with its category and company loaded)."""
    text = " ".join(
        [
            listing.title,
            listing.description,
            getattr(listing, "specification", "") or "",
            listing.company.title if listing.company_id and listing.company else "",
        ]
    )
    family = {listing.category_id}
    if listing.category.parent_id:
        family.add(listing.category.parent_id)
    return ListingFacts(
        pk=listing.pk,
        site_id=site_id,
        kind=listing.kind,
        family=frozenset(family),
        region_id=listing.region_id,
        company_id=listing.company_id,
        price=listing.price_min,
        prefixes=frozenset(
            word[:end] for word in set(words(text)) for end in range(1, len(word) + 1)
        ),
    )


@dataclass(frozen=True)
class ListingFilter:
    """A saved search, a followed company or category, as stored in ``Alert.filters``.

    Empty fields ask for nothing: every listing passes them. ``categories`` match a listing in
    one of them or in one of their children, as search and the board's category pages do.
    ``prices`` are ``[low, high)`` ranges (either end open) of the search's price ranges.
    """

    terms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[int, ...] = ()
    regions: tuple[int, ...] = ()
    company: int | None = None
    prices: tuple[tuple[float | None, float | None], ...] = ()
    excluded_regions: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def load(cls, data: dict, excluded_regions: Iterable[int] = ()) -> "ListingFilter":
        return cls(
            terms=tuple(data.get("terms", ())),
            kinds=tuple(data.get("kinds", ())),
            categories=tuple(data.get("categories", ())),
            regions=tuple(data.get("regions", ())),
            company=data.get("company"),
            prices=tuple(tuple(pair) for pair in data.get("prices", ())),
            excluded_regions=frozenset(excluded_regions),
        )

    def dump(self) -> dict:
        data = asdict(self)
        data.pop("excluded_regions")
        return {key: value for key, value in data.items() if value not in ((), None)}

    def matches(self, listing: ListingFacts) -> bool:
        if listing.region_id in self.excluded_regions:
            return False
        if self.company is not None and listing.company_id != self.company:
            return False
        if self.kinds and listing.kind not in self.kinds:
            return False
        if self.categories and not listing.family.intersection(self.categories):
            return False
        if self.regions and listing.region_id not in self.regions:
            return False
        if self.prices and not self._priced(listing.price):
            return False
        return all(listing.has_prefix(term) for term in self.terms)

    def _priced(self, price: Decimal | None) -> bool:
        if price is None:
            return False
        value = float(price)
        return any(
            (low is None or value >= low) and (high is None or value < high)
            for low, high in self.prices
        )
