"""The facets of one page as labels, for search that runs without the server (Pagefind)."""

from typing import Any

from portal.core.models import Category

from .documents import builder_for
from .models import DOC_TYPES, KINDS

TYPE_LABELS = dict(DOC_TYPES)
KIND_LABELS = dict(KINDS)


def facet_values(page: Any) -> dict[str, list[str]]:
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
        names = Category.objects.filter(pk__in=family).order_by("parent_id", "name")
        facets["Category"] = list(names.values_list("name", flat=True))
    if values.get("region") is not None:
        facets["Region"] = [values["region"].name]
    return facets
