"""Search documents in the database, rebuilt from their pages.

``write_documents(page_ids)`` rebuilds the documents of the given pages from the database (the
source of truth) in the caller's transaction; ``drop_documents`` removes those of deleted
pages. Carrying the change on to an external engine is the outbox's job (``outbox.py``);
``sync.py`` does both, and is what the rest of the product calls.
"""

from collections.abc import Iterable, Iterator

from django.db import transaction
from wagtail.search.backends import get_search_backend

from portal.core.loading import load_pages

from .documents import PortalLookup, build, restricted_paths
from .models import SearchDocument


@transaction.atomic
def write_documents(
    page_ids: Iterable[int], portals: PortalLookup | None = None
) -> tuple[int, int]:
    """Rebuild (or drop) the documents of ``page_ids``; returns (indexed, removed)."""
    page_ids = list(dict.fromkeys(page_ids))
    if not page_ids:
        return 0, 0
    portals = portals or PortalLookup()
    restricted = restricted_paths()
    pages = load_pages(page_ids)
    docs = [build(pages[pk], portals, restricted) for pk in page_ids if pk in pages]
    docs = [doc for doc in docs if doc is not None]
    keep = {doc.page_id for doc in docs}
    # Deleting sends post_delete per row, which takes the rows out of the database index too.
    removed_count = SearchDocument.objects.filter(page_id__in=set(page_ids) - keep).delete()[0]
    if docs:
        Through = SearchDocument.categories.through
        Through.objects.filter(searchdocument_id__in=keep).delete()
        SearchDocument.objects.bulk_create(
            docs,
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=[
                field.attname
                for field in SearchDocument._meta.concrete_fields
                if not field.primary_key
            ],
        )
        Through.objects.bulk_create(
            Through(searchdocument_id=doc.page_id, category_id=category_id)
            for doc in docs
            for category_id in doc.category_ids
        )
        get_search_backend().add_bulk(SearchDocument, docs)
    return len(docs), removed_count


def drop_documents(page_ids: list[int]) -> None:
    """Pages deleted: drop their documents (also any a signal rebuilt during the deletion:
    Wagtail announces a deleted live page as unpublished first)."""
    SearchDocument.categories.through.objects.filter(searchdocument_id__in=page_ids).delete()
    SearchDocument.objects.filter(page_id__in=page_ids).delete()


def engine_documents(portal: str, chunk: int = 2000) -> Iterator[SearchDocument]:
    """The portal's stored documents, as a rebuild sends them to the engine: read in chunks
    of ``chunk``, each with its category ids from one query (``category_ids``)."""
    Through = SearchDocument.categories.through
    documents = SearchDocument.objects.filter(portal=portal).order_by("pk")
    last = None
    while True:
        batch = list((documents.filter(pk__gt=last) if last else documents)[:chunk])
        if not batch:
            return
        families: dict[int, list[int]] = {}
        rows = Through.objects.filter(searchdocument_id__in=[doc.pk for doc in batch])
        for doc_id, category_id in rows.values_list("searchdocument_id", "category_id"):
            families.setdefault(doc_id, []).append(category_id)
        for doc in batch:
            doc.category_ids = families.get(doc.pk, [])
        yield from batch
        last = batch[-1].pk
