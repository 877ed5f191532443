"""Loading many pages at once as their specific types, with what their search documents (and
their pages, which show the same things) read: a handful of queries per batch, not per page."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .sections import search_document_type_for


def related_lookups(model: type[Page]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(select_related, prefetch_related)`` declared for ``model`` or a model it extends."""
    document_type = search_document_type_for(model)
    if document_type is None:
        return (), ()
    return document_type.select_related, document_type.prefetch_related


def load_pages(page_ids: list[int]) -> dict[int, Page]:
    """The specific pages of ``page_ids``, by id."""
    by_type: dict[int, list[int]] = {}
    for pk, content_type in Page.objects.filter(pk__in=page_ids).values_list("pk", "content_type"):
        by_type.setdefault(content_type, []).append(pk)
    pages: dict[int, Page] = {}
    for content_type, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type).model_class() or Page
        related, prefetch = related_lookups(model)
        queryset = model._default_manager.filter(pk__in=ids)
        pages.update(
            (page.pk, page)
            for page in queryset.select_related(*related).prefetch_related(*prefetch)
        )
    return pages
