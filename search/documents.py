"""From a public page to its search document.

Each section type declares how its pages become documents (``SearchDocumentType`` in its
registration, see ``portal/core/sections.py``). A page is searchable when it is live, public
(no view restriction) and of a model one of them names.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from portal.core.models import PortalHomePage
from portal.core.sections import search_document_type_for, search_document_types

from .models import SearchDocument


def searchable_models() -> list[type[Page]]:
    return [apps.get_model(entry.model) for entry in search_document_types()]


def pages_showing(page: Page) -> list[int]:
    """Ids of the pages whose documents show ``page`` (a listing shows its company's name)."""
    ids: list[int] = []
    for document_type in search_document_types():
        for label, pages_of in document_type.shows.items():
            if isinstance(page, apps.get_model(label)):
                ids.extend(pages_of(page))
    return ids


def _category_fields(categories: Iterable[Any]) -> dict[str, Any]:
    """The main category and the set a category filter matches (each with its parent)."""
    categories = [category for category in categories if category is not None]
    family = {c.pk for c in categories} | {c.parent_id for c in categories if c.parent_id}
    return {"category": categories[0] if categories else None, "_categories": sorted(family)}


def restricted_paths() -> list[str]:
    """Paths under a view restriction: nothing below them is public."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


class PortalLookup:
    """The site and portal slug of pages, cached per root (one query per portal)."""

    def __init__(self) -> None:
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
    document_type = search_document_type_for(type(page))
    if document_type is None or not page.live:
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
        "doc_type": document_type.key,
        **document_type.build(page),
    }
    values.update(_category_fields(values.pop("categories", [])))
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
