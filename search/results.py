"""Search results ready for a template: documents, facets with labels and URLs, pages."""

import logging
from dataclasses import dataclass, field, replace

from django.core.paginator import Paginator
from django.utils.safestring import mark_safe

from portal.core.models import Category, PortalHomePage, Region

from . import health
from .configured import database_engine, get_engine
from .engines import EngineUnavailable, RawResults
from .labels import doc_type_choices, kind_choices
from .models import SearchDocument
from .query import PER_PAGE, POSTED, SORTS, SearchQuery

log = logging.getLogger(__name__)

DEGRADED_NOTICE = (
    "Search is running in a simpler mode for the moment: results may be ordered less well."
)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    children: list["FacetOption"] = field(default_factory=list)


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    multiple: bool = True


@dataclass
class SearchPage:
    query: SearchQuery
    results: list[tuple[SearchDocument, str]]  # document, snippet HTML
    total: int
    facets: list[Facet]
    suggestions: list[tuple[str, str]]  # text, url
    sorts: list[tuple[str, str, str, bool]]  # key, label, url, selected
    pages: list[tuple[int, str, bool]]  # number, url, current
    previous_url: str | None
    next_url: str | None
    engine: str
    notice: str = ""
    facets_approximate: bool = False  # counts estimated from a sample ("about 1,200")


def run(query: SearchQuery) -> SearchPage:
    """Search with the configured engine; if it is down, with the database, and say so."""
    engine, notice = get_engine(), ""
    if engine.external and health.is_down():
        engine, notice = database_engine(), DEGRADED_NOTICE
    try:
        raw = engine.search(query)
    except EngineUnavailable as error:
        log.warning("Search engine unavailable, using the database: %s", error)
        health.mark_down()
        engine, notice = database_engine(), DEGRADED_NOTICE
        raw = engine.search(query)
    last = max(1, -(-raw.total // PER_PAGE))
    if not raw.hits and query.page > last:  # a page past the end (a stale link): the last one
        query = replace(query, page=last)
        raw = engine.search(query)
    return present(query, raw, engine.name, notice)


def present(query: SearchQuery, raw: RawResults, engine: str, notice: str = "") -> SearchPage:
    docs = SearchDocument.objects.select_related("category", "site").in_bulk(
        [hit.page_id for hit in raw.hits]
    )
    results = [
        (docs[hit.page_id], mark_safe(hit.snippet)) for hit in raw.hits if hit.page_id in docs
    ]
    paginator = Paginator(range(min(raw.total, 250 * PER_PAGE)), PER_PAGE)
    numbers = (
        paginator.get_elided_page_range(
            min(query.page, paginator.num_pages), on_each_side=2, on_ends=1
        )
        if raw.total
        else []
    )
    last = paginator.num_pages if raw.total else 1
    return SearchPage(
        query=query,
        results=results,
        total=raw.total,
        facets=facets(query, raw),
        suggestions=[(text, query.url(q=text)) for text in raw.suggestions],
        sorts=[(key, label, query.url(sort=key), key == query.sort) for key, label in SORTS],
        pages=[(n, query.url(page=n), n == query.page) for n in numbers if isinstance(n, int)],
        previous_url=query.url(page=query.page - 1) if query.page > 1 else None,
        next_url=query.url(page=query.page + 1) if query.page < last else None,
        engine=engine,
        notice=notice,
        facets_approximate=raw.approximate,
    )


def _options(
    query: SearchQuery, name: str, counts: dict[str, int], labels, selected
) -> list[FacetOption]:
    options = []
    for value, label in labels:
        count = counts.get(str(value), 0)
        if count or value in selected:
            options.append(
                FacetOption(
                    str(value), label, count, value in selected, query.toggle_url(name, value)
                )
            )
    return options


def facets(query: SearchQuery, raw: RawResults) -> list[Facet]:
    counts = raw.facets
    result = []
    if "portal" in counts:
        names = dict(PortalHomePage.objects.values_list("industry_slug", "title"))
        labels = sorted(
            ((slug, names.get(slug, slug)) for slug in counts["portal"]), key=lambda x: x[1]
        )
        result.append(
            Facet(
                "portal",
                "Portal",
                _options(query, "portal", counts["portal"], labels, query.portal_filter),
            )
        )
    result.append(
        Facet(
            "type",
            "Content",
            _options(query, "type", counts.get("type", {}), doc_type_choices(), query.types),
        )
    )
    result.append(
        Facet(
            "kind",
            "Kind",
            _options(query, "kind", counts.get("kind", {}), kind_choices(), query.kinds),
        )
    )
    if query.site_id:
        result.append(category_facet(query, counts))
        regions = Region.objects.filter(site_id=query.site_id).values_list("pk", "code", "name")
        region_counts = counts.get("region", {})
        options = [
            FacetOption(
                code,
                name,
                region_counts.get(str(pk), 0),
                code in query.region_codes,
                query.toggle_url("region", code),
            )
            for pk, code, name in regions
            if region_counts.get(str(pk)) or code in query.region_codes
        ]
        result.append(Facet("region", "Region", options))
    prices = [(key, label) for key, _, _, label in query.price_buckets]
    result.append(
        Facet(
            "price",
            "Price",
            _options(query, "price", counts.get("price", {}), prices, query.prices),
        )
    )
    posted_counts = counts.get("posted", {})
    result.append(
        Facet(
            "posted",
            "Posted",
            [
                FacetOption(
                    key,
                    label,
                    posted_counts.get(key, 0),
                    key == query.posted,
                    query.url(posted="" if key == query.posted else key),
                )
                for key, _, label in POSTED
                if posted_counts.get(key) or key == query.posted
            ],
            multiple=False,
        )
    )
    return [facet for facet in result if facet.options]


def category_facet(query: SearchQuery, counts: dict[str, dict[str, int]]) -> Facet:
    """Parent categories with their counts, each with its children's counts."""
    parents_counts = child_counts = counts.get("category", {})
    # Plain rows, not model instances: a portal's taxonomy is read on every search.
    categories = Category.objects.filter(site_id=query.site_id).values_list(
        "pk", "parent_id", "slug", "name", named=True
    )
    by_parent: dict[int | None, list] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    options = []
    for parent in by_parent.get(None, []):
        count = parents_counts.get(str(parent.pk), 0)
        selected = parent.slug in query.category_slugs
        children = [
            FacetOption(
                child.slug,
                child.name,
                child_counts.get(str(child.pk), 0),
                child.slug in query.category_slugs,
                query.toggle_url("category", child.slug),
            )
            for child in by_parent.get(parent.pk, [])
            if child_counts.get(str(child.pk)) or child.slug in query.category_slugs
        ]
        if count or selected or children:
            options.append(
                FacetOption(
                    parent.slug,
                    parent.name,
                    count,
                    selected,
                    query.toggle_url("category", parent.slug),
                    children,
                )
            )
    return Facet("category", "Category", options)
