"""A search as the visitor asked for it, bounded and turned back into URLs (``params.py``
reads it from a request).

Every state of the search page is a plain GET URL (``?q=rebar&type=listing&region=asia&
sort=newest&page=2``), so it can be shared and bookmarked. Unknown or malformed parameters are
ignored rather than refused: a search page should always answer.
"""

import itertools
from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

MAX_QUERY_LENGTH = 200
MAX_PAGE = 250
PER_PAGE = 20
SORTS = [
    ("relevance", "Best match"),
    ("newest", "Newest"),
    ("price_asc", "Price, low to high"),
    ("price_desc", "Price, high to low"),
]
DEFAULT_PRICE_EDGES = (100, 500, 1000, 5000)
NICE_STEPS = (1, 2, 5)


def price_edges(low: float | None, high: float | None) -> tuple[float, ...]:
    """Up to four round edges (1, 2, 5 × 10ⁿ) spread between a portal's lowest and highest
    guide prices, so a textiles portal (a few USD/kg) and a steel one (hundreds of USD/t)
    both get useful ranges."""
    if not low or not high or high <= low:
        return DEFAULT_PRICE_EDGES
    nice = sorted(step * 10**exponent for exponent in range(-2, 9) for step in NICE_STEPS)
    inside = [edge for edge in nice if low < edge < high]
    if len(inside) < 2:
        return DEFAULT_PRICE_EDGES
    if len(inside) > 4:
        inside = [inside[round(i * (len(inside) - 1) / 3)] for i in range(4)]
    return tuple(inside)


def _amount(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value < 1 else f"{value:,.0f}"


def price_buckets(
    edges: tuple[float, ...],
) -> tuple[tuple[str, float | None, float | None, str], ...]:
    """``(key, low, high, label)`` for the ranges the edges make; keys go into URLs."""
    bounds = [None, *edges, None]
    buckets = []
    for low, high in itertools.pairwise(bounds):
        key = (
            f"{_amount(low) if low is not None else ''}-{_amount(high) if high is not None else ''}"
        )
        key = key.replace(",", "")
        if low is None:
            label = f"Under {_amount(high)}"
        elif high is None:
            label = f"{_amount(low)} and more"
        else:
            label = f"{_amount(low)} – {_amount(high)}"
        buckets.append((key, low, high, label))
    return tuple(buckets)


POSTED = [
    ("1d", 1, "Past day"),
    ("7d", 7, "Past week"),
    ("30d", 30, "Past month"),
    ("90d", 90, "Past 3 months"),
]
MULTI_FACETS = ("portal", "type", "kind", "category", "region", "price")


def since(posted_key: str):
    """The start of a posting-date range (``7d``: a week ago), or None."""
    days = next((days for key, days, _ in POSTED if key == posted_key), None)
    return timezone.now() - timedelta(days=days) if days else None


def clean_text(value: str) -> str:
    """The query text, trimmed to a sane length, without control characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    portals: tuple[str, ...] = ()  # the scope: one portal, or every portal (hub)
    portal_filter: tuple[str, ...] = ()  # the hub's portal facet
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[int, ...] = ()  # chosen categories (a parent matches its children)
    category_slugs: tuple[str, ...] = ()
    regions: tuple[int, ...] = ()
    region_codes: tuple[str, ...] = ()
    prices: tuple[str, ...] = ()
    posted: str = ""
    price_buckets: tuple = field(default_factory=lambda: price_buckets(DEFAULT_PRICE_EDGES))
    sort: str = "relevance"
    page: int = 1
    site_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PER_PAGE

    @property
    def is_filtered(self) -> bool:
        return any(
            (
                self.portal_filter,
                self.types,
                self.kinds,
                self.category_slugs,
                self.region_codes,
                self.prices,
                self.posted,
            )
        )

    def price_bucket(self, key: str) -> tuple:
        return next(bucket for bucket in self.price_buckets if bucket[0] == key)

    def posted_since(self):
        return since(self.posted)

    def without(self, facet: str) -> "SearchQuery":
        """The same search with one facet's selection dropped (for multi-select counts)."""
        changes = {
            "portal": {"portal_filter": ()},
            "type": {"types": ()},
            "kind": {"kinds": ()},
            "category": {"categories": ()},
            "region": {"regions": ()},
            "price": {"prices": ()},
            "posted": {"posted": ""},
        }[facet]
        return replace(self, **changes)

    # URLs -------------------------------------------------------------------------------

    def params(self) -> list[tuple[str, str]]:
        pairs = [("q", self.text)] if self.text else []
        pairs += [("portal", v) for v in self.portal_filter]
        pairs += [("type", v) for v in self.types]
        pairs += [("kind", v) for v in self.kinds]
        pairs += [("category", v) for v in self.category_slugs]
        pairs += [("region", v) for v in self.region_codes]
        pairs += [("price", v) for v in self.prices]
        if self.posted:
            pairs.append(("posted", self.posted))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, **changes) -> str:
        """``?…`` for this search with ``changes``; changing anything but the page resets it."""
        pairs = [(k, v) for k, v in self.params() if k != "page"]
        page = changes.pop("page", 1)
        for name, value in changes.items():
            pairs = [(k, v) for k, v in pairs if k != name]
            values = value if isinstance(value, list | tuple) else [value]
            pairs += [(name, v) for v in values if v]
        if page > 1:
            pairs.append(("page", str(page)))
        return "?" + urlencode(pairs) if pairs else "?"

    def toggle_url(self, name: str, value: str) -> str:
        current = [v for k, v in self.params() if k == name]
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        return self.url(**{name: chosen})
