"""The facets of one page as labels, for search that runs without the server (Pagefind)."""

from typing import Any

from django.http import HttpRequest

from portal.core.models import Category
from portal.publishing.context import remembered

from .documents import builder_for
from .models import DOC_TYPES, KINDS

TYPE_LABELS = dict(DOC_TYPES)
KIND_LABELS = dict(KINDS)


def facet_values(page: Any, request: HttpRequest | None = None) -> dict[str, list[str]]:
    """``{"Type": ["News"], "Category": ["Flat products", "Coil"], …}``; empty when the page
    is not a searchable type. Same facets, values and labels as the live search page."""
    builder = builder_for(page)
    if builder is None:
        return {}
    values = builder(page)
    facets = {"Type": [TYPE_LABELS[values["doc_type"]]]}
    if values.get("kind"):
        facets["Kind"] = [KIND_LABELS[values["kind"]]]
    family = values.get("_categories") or []
    if family:
        facets["Category"] = remembered(request, ("categories", *family), lambda: names(family))
    if values.get("region") is not None:
        facets["Region"] = [values["region"].name]
    return facets


def names(category_ids: list[int]) -> list[str]:
    queryset = Category.objects.filter(pk__in=category_ids).order_by("parent_id", "name")
    return list(queryset.values_list("name", flat=True))
