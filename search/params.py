"""Reading a search from a request's GET parameters: unknown or malformed parameters are
ignored rather than refused, so a search page always answers."""

from django.db.models import Max, Min
from django.http import QueryDict

from portal.core.models import Category, Region

from .labels import doc_type_choices, kind_choices
from .query import (
    DEFAULT_PRICE_EDGES,
    MAX_PAGE,
    POSTED,
    SORTS,
    SearchQuery,
    clean_text,
    price_buckets,
    price_edges,
)


def price_buckets_for(site) -> tuple[tuple[str, float | None, float | None, str], ...]:
    """The price ranges of a portal, from its categories' price guides."""
    if site is None:
        return price_buckets(DEFAULT_PRICE_EDGES)
    guides = Category.objects.filter(site=site, price_min__isnull=False).aggregate(
        low=Min("price_min"), high=Max("price_max")
    )
    low, high = guides["low"], guides["high"]
    return price_buckets(price_edges(float(low) if low else None, float(high) if high else None))


def parse_query(params: QueryDict, portals: list[str], site=None) -> SearchQuery:
    """The search a request's GET parameters ask for, in the portals ``portals`` (and the
    taxonomy of ``site``, when it is one portal's search)."""

    def many(name: str, allowed=None) -> tuple[str, ...]:
        # Values with control characters (a NUL breaks PostgreSQL) are no slug, code or key.
        values = [v.strip() for v in params.getlist(name) if v.strip() and v.isprintable()][:20]
        return tuple(dict.fromkeys(v for v in values if allowed is None or v in allowed))

    categories, slugs = [], ()
    regions, codes = [], ()
    if site is not None:
        slugs = many("category")
        categories = list(
            Category.objects.filter(site=site, slug__in=slugs).values_list("pk", flat=True)
        )
        codes = many("region")
        regions = list(
            Region.objects.filter(site=site, code__in=codes).values_list("pk", flat=True)
        )
    try:
        page = min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        page = 1
    sort = params.get("sort", "relevance")
    buckets = price_buckets_for(site)
    return SearchQuery(
        text=clean_text(params.get("q", "")),
        portals=tuple(portals),
        portal_filter=many("portal", set(portals)) if len(portals) > 1 else (),
        types=many("type", {value for value, _ in doc_type_choices()}),
        kinds=many("kind", {value for value, _ in kind_choices()}),
        categories=tuple(categories),
        category_slugs=slugs,
        regions=tuple(regions),
        region_codes=codes,
        prices=many("price", {key for key, *_ in buckets}),
        price_buckets=buckets,
        posted=params.get("posted", "") if params.get("posted") in {k for k, *_ in POSTED} else "",
        sort=sort if sort in dict(SORTS) else "relevance",
        page=page,
        site_id=site.pk if site else None,
    )
