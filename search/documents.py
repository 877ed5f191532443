"""From a public page to its search document: one builder per page type.

A page is searchable when it is live, public (no view restriction) and of a type listed here.
"""

from collections.abc import Callable
from datetime import datetime, time
from html import unescape
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from portal.board.models import TradeListingPage
from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage
from portal.news.models import NewsArticlePage
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

from .models import SearchDocument

Builder = Callable[[Any], dict[str, Any]]


def _category_fields(*categories) -> dict[str, Any]:
    """The main category and the set a category filter matches (each with its parent)."""
    categories = [category for category in categories if category is not None]
    family = {c.pk for c in categories} | {c.parent_id for c in categories if c.parent_id}
    return {"category": categories[0] if categories else None, "_categories": sorted(family)}


def _listing(page: TradeListingPage) -> dict[str, Any]:
    extra = [getattr(page, "specification", ""), page.company.title if page.company else ""]
    return {
        "doc_type": "listing",
        "kind": page.kind,
        "body": "\n".join([page.description, *filter(None, extra)]),
        "region": page.region,
        "price": page.price_min,
        "currency": page.currency,
        "unit": page.unit,
        "expires_on": page.valid_until,
        **_category_fields(page.category),
    }


def _news(page: NewsArticlePage) -> dict[str, Any]:
    body = " ".join(
        unescape(strip_tags(str(text)))
        for text in page.body.stream_block.get_searchable_content(page.body)
    )
    return {
        "doc_type": "news",
        "body": f"{page.summary}\n{body}",
        "posted_at": timezone.make_aware(datetime.combine(page.date, time(12))),
        **_category_fields(*page.categories.all()),
    }


def _franchise(page: FranchiseListingPage) -> dict[str, Any]:
    return {
        "doc_type": "franchise",
        "body": "\n".join([page.brand, page.summary, page.description]),
        "price": page.investment_min,
        "currency": page.currency,
        **_category_fields(page.sector),
    }


def _investment(page: InvestmentOpportunityPage) -> dict[str, Any]:
    return {
        "doc_type": "investment",
        "body": "\n".join([page.summary, page.description]),
        "price": page.amount_sought,
        "currency": page.currency,
        "region": page.region,
        "expires_on": page.deadline,
        **_category_fields(page.sector),
    }


def _company(page: CompanyPage) -> dict[str, Any]:
    return {
        "doc_type": "company",
        "body": "\n".join([page.profile, page.city, page.country]),
        "region": page.region,
        **_category_fields(*page.categories.all()),
    }


BUILDERS: dict[type[Page], Builder] = {
    TradeListingPage: _listing,
    NewsArticlePage: _news,
    FranchiseListingPage: _franchise,
    InvestmentOpportunityPage: _investment,
    CompanyPage: _company,
}


# What each builder reads, loaded with the pages (a handful of queries per batch, not per page).
RELATED: dict[type[Page], tuple[tuple[str, ...], tuple[str, ...]]] = {
    TradeListingPage: (("category__parent", "region", "company"), ()),
    NewsArticlePage: ((), ("categories",)),
    FranchiseListingPage: (("sector",), ()),
    InvestmentOpportunityPage: (("sector", "region"), ()),
    CompanyPage: (("region",), ("categories",)),
}


def load_pages(page_ids: list[int]) -> dict[int, Page]:
    """The specific pages of ``page_ids`` with what their builders read."""
    from django.contrib.contenttypes.models import ContentType

    by_type: dict[int, list[int]] = {}
    for pk, content_type in Page.objects.filter(pk__in=page_ids).values_list("pk", "content_type"):
        by_type.setdefault(content_type, []).append(pk)
    pages: dict[int, Page] = {}
    for content_type, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type).model_class() or Page
        related, prefetch = next(
            (value for base, value in RELATED.items() if issubclass(model, base)), ((), ())
        )
        queryset = model._default_manager.filter(pk__in=ids)
        pages.update(
            (page.pk, page)
            for page in queryset.select_related(*related).prefetch_related(*prefetch)
        )
    return pages


def builder_for(page: Page) -> Builder | None:
    for model, builder in BUILDERS.items():
        if isinstance(page, model):
            return builder
    return None


def searchable_models() -> list[type[Page]]:
    return list(BUILDERS)


def restricted_paths() -> list[str]:
    """Paths under a view restriction: nothing below them is public."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


class PortalLookup:
    """The site and portal slug of pages, cached per root (one query per portal)."""

    def __init__(self) -> None:
        from wagtail.models import Site

        self.sites = [
            (site.root_page, site, site.root_page.specific.industry_slug)
            for site in Site.objects.select_related("root_page")
            if isinstance(site.root_page.specific, PortalHomePage)
        ]

    def find(self, page: Page):
        for root, site, slug in self.sites:
            if page.path.startswith(root.path):
                return site, slug
        return None, ""

    def url(self, page: Page) -> str:
        for root, site, _ in self.sites:
            if page.path.startswith(root.path):
                return site.root_url + page.url_path[len(root.url_path) - 1 :]
        return ""


def build(
    page: Page, portals: PortalLookup | None = None, restricted: list[str] | None = None
) -> SearchDocument | None:
    """The search document of ``page`` (a specific page), or None when it is not searchable."""
    builder = builder_for(page)
    if builder is None or not page.live:
        return None
    restricted = restricted_paths() if restricted is None else restricted
    if any(page.path.startswith(path) for path in restricted):
        return None
    portals = portals or PortalLookup()
    site, slug = portals.find(page)
    if site is None:
        return None
    values = {
        "kind": "",
        "region": None,
        "price": None,
        "currency": "",
        "unit": "",
        "expires_on": None,
        "posted_at": page.first_published_at or timezone.now(),
        **builder(page),
    }
    family = values.pop("_categories", [])
    doc = SearchDocument(
        page_id=page.pk,
        site=site,
        portal=slug,
        title=page.title,
        url=portals.url(page),
        updated_at=timezone.now(),
        **values,
    )
    doc.category_ids = family
    return doc


def searchable_ids(root: Page) -> set[int]:
    """Ids of the pages below ``root`` that should have a search document: live, of a
    searchable type, and not under a view restriction."""
    restricted = restricted_paths()
    ids = set()
    for model in searchable_models():
        queryset = model.objects.live().descendant_of(root)
        for path in restricted:
            queryset = queryset.exclude(path__startswith=path)
        ids.update(queryset.values_list("pk", flat=True))
    return ids
