"""What an alert is for, read from what a visitor saved: a search or board URL, a company, a
category or a price series of the portal. Anything this cannot read is refused with the name
of the parameter at fault (a saved alert must mean exactly what the visitor saw)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.http import QueryDict
from wagtail.models import Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import Category, Region
from portal.directory.models import CompanyPage
from portal.prices.models import PriceSeriesPage
from search.labels import doc_type_choices
from search.params import price_buckets_for
from search.query import clean_text

from .filters import ListingFilter, words
from .models import ABOVE, BELOW, CHANGE, DIRECTIONS, Alert

LISTING_TYPE = "listing"
# Search parameters an alert reads, and those that only order or page the results.
FILTER_PARAMS = ("q", "type", "kind", "category", "region", "price", "portal")
IGNORED_PARAMS = ("posted", "sort", "page")
BOARD_SUFFIX = re.compile(r"^(?:(?P<kind>category|region)/(?P<value>[\w-]+)/)?(?:page/\d+/)?$")
MAX_VALUES = 20


class BadTarget(ValueError):
    """What was saved cannot be read; ``param`` names the parameter at fault."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param, self.message = param, message


@dataclass(frozen=True)
class Target:
    kind: str
    label: str
    filters: ListingFilter | None = None
    source_url: str = ""
    company: CompanyPage | None = None
    series: PriceSeriesPage | None = None


def _root_path(site: Site) -> str:
    return site.root_page.url_path


def _board(site: Site) -> BoardIndexPage | None:
    return BoardIndexPage.objects.live().descendant_of(site.root_page).first()


def _relative_url(page, site: Site) -> str:
    return "/" + page.url_path[len(_root_path(site)) :]


class _Reader:
    """Reads one saved URL of ``site`` into a filter and a label."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.kinds: list[str] = []
        self.categories: dict[int, str] = {}
        self.regions: dict[int, str] = {}
        self.prices: list[tuple[float | None, float | None]] = []
        self.price_labels: list[str] = []
        self.terms: tuple[str, ...] = ()
        self.text = ""

    def values(self, params: QueryDict, name: str) -> list[str]:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if len(values) > MAX_VALUES or not all(v.isprintable() for v in values):
            raise BadTarget(name, "too many or unreadable values.")
        return list(dict.fromkeys(values))

    def category(self, param: str, slug: str) -> None:
        category = Category.objects.filter(site=self.site, slug=slug, is_active=True).first()
        if category is None:
            raise BadTarget(param, f"this portal has no category “{slug}”.")
        self.categories[category.pk] = category.name

    def region(self, param: str, code: str) -> None:
        region = Region.objects.filter(site=self.site, code=code, is_active=True).first()
        if region is None:
            raise BadTarget(param, f"this portal has no region “{code}”.")
        self.regions[region.pk] = region.name

    def query(self, params: QueryDict) -> None:
        for name in params:
            if name not in FILTER_PARAMS and name not in IGNORED_PARAMS:
                raise BadTarget(name, "unknown filter; alerts read " + ", ".join(FILTER_PARAMS))
        self.text = clean_text(params.get("q", ""))
        self.terms = tuple(dict.fromkeys(words(self.text)))
        types = self.values(params, "type")
        known_types = {value for value, _ in doc_type_choices()}
        if any(t not in known_types for t in types):
            raise BadTarget("type", "unknown type.")
        if types and LISTING_TYPE not in types:
            raise BadTarget("type", "alerts are sent for market listings (type=listing).")
        listing_kinds = dict(TradeListingPage.KIND_CHOICES)
        for kind in self.values(params, "kind"):
            if kind not in listing_kinds:
                raise BadTarget("kind", f"alerts know the kinds {', '.join(listing_kinds)}.")
            self.kinds.append(kind)
        for slug in self.values(params, "category"):
            self.category("category", slug)
        for code in self.values(params, "region"):
            self.region("region", code)
        portal = self.site.root_page.specific.industry_slug
        if any(value != portal for value in self.values(params, "portal")):
            raise BadTarget("portal", "an alert belongs to the portal it is saved on.")
        buckets = {key: bucket for key, *bucket in price_buckets_for(self.site)}
        for key in self.values(params, "price"):
            if key not in buckets:
                raise BadTarget("price", f"no price range “{key}” on this portal.")
            low, high, label = buckets[key]
            self.prices.append((low, high))
            self.price_labels.append(label)

    def board_path(self, suffix: str) -> None:
        match = BOARD_SUFFIX.match(suffix)
        if match is None:
            raise BadTarget("url", "not a page of the market board.")
        if match["kind"] == "category":
            self.category("url", match["value"])
        elif match["kind"] == "region":
            self.region("url", match["value"])

    def label(self) -> str:
        kinds = dict(TradeListingPage.KIND_CHOICES)
        parts = [f"“{self.text}”"] if self.text else []
        parts += [kinds[k] + "s" for k in self.kinds]
        parts += [*self.categories.values(), *self.regions.values(), *self.price_labels]
        return (" · ".join(parts) or "Every new listing")[:200]

    def filters(self) -> ListingFilter:
        return ListingFilter(
            terms=self.terms,
            kinds=tuple(self.kinds),
            categories=tuple(self.categories),
            regions=tuple(self.regions),
            prices=tuple(self.prices),
        )


def read_url(site: Site, url: str) -> Target:
    """A saved search from the URL of a search page (``/search/?q=…``) or of a board page
    (``/market/``, ``category/<slug>/``, ``region/<code>/``) of ``site``; the host is not
    read (a static copy has its own), only the path and the query."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    params = QueryDict(parts.query)
    reader = _Reader(site)
    board = _board(site)
    board_url = _relative_url(board, site) if board else None
    if path.rstrip("/") == "/search":
        pass
    elif board_url and path.startswith(board_url):
        reader.board_path(path[len(board_url) :].removeprefix("index.html"))
    else:
        raise BadTarget("url", "alerts are saved from the search page or the market board.")
    reader.query(params)
    filters = reader.filters()
    source = path + ("?" + parts.query if parts.query else "")
    return Target(Alert.SEARCH, reader.label(), filters, source_url=source[:500])


def read_company(site: Site, value: str) -> Target:
    company = CompanyPage.objects.live().descendant_of(site.root_page).filter(pk=_pk(value)).first()
    if company is None:
        raise BadTarget("company", "no such company on this portal.")
    return Target(
        Alert.COMPANY,
        f"New listings of {company.title}"[:200],
        ListingFilter(company=company.pk),
        source_url=_relative_url(company, site),
        company=company,
    )


def read_category(site: Site, slug: str) -> Target:
    reader = _Reader(site)
    reader.category("category", slug)
    name = next(iter(reader.categories.values()))
    board = _board(site)
    source = _relative_url(board, site) + f"category/{slug}/" if board else ""
    return Target(Alert.CATEGORY, f"New listings in {name}"[:200], reader.filters(), source)


def read_series(site: Site, value: str) -> Target:
    series = (
        PriceSeriesPage.objects.live().descendant_of(site.root_page).filter(pk=_pk(value)).first()
    )
    if series is None:
        raise BadTarget("series", "no such price series on this portal.")
    return Target(
        Alert.PRICE, series.title[:200], source_url=_relative_url(series, site), series=series
    )


def price_label(series_title: str, direction: str, threshold: Decimal, unit: str) -> str:
    words_for = dict(DIRECTIONS)
    if direction == CHANGE:
        return f"{series_title} moves by {threshold} %"[:200]
    assert direction in (ABOVE, BELOW)
    return f"{series_title} {words_for[direction]} {threshold} {unit}"[:200]


def _pk(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


READERS = {
    "url": read_url,
    "company": read_company,
    "category": read_category,
    "series": read_series,
}


def read_target(site: Site, data: QueryDict | dict) -> Target:
    """The target named by one of ``url``, ``company``, ``category`` or ``series`` in
    ``data`` (a request's GET or POST)."""
    for name, read in READERS.items():
        value = data.get(name)
        if value:
            return read(site, str(value))
    raise BadTarget("url", "say what to alert on: a search, a company, a category or a series.")
