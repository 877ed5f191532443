"""Keeping search documents in step with pages.

``refresh(page_ids)`` rebuilds the documents of the given pages from the database (which is the
source of truth) in the caller's transaction, and queues the same pages in the outbox for the
external engine when one is configured. Publishing, unpublishing, expiry and deletion all come
through here, so a page and its search document never disagree after a commit.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .documents import PortalLookup, build, load_pages, restricted_paths
from .models import SearchDocument, SearchOutbox


def external_engine_configured() -> bool:
    return bool(getattr(settings, "SEARCH_URL", ""))


@transaction.atomic
def refresh(
    page_ids: Iterable[int], portals: PortalLookup | None = None, send: bool = True
) -> tuple[int, int]:
    """Rebuild (or drop) the documents of ``page_ids``; returns (indexed, removed).

    With ``send`` the pages are also queued for the external engine."""
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
    if send:
        queue(page_ids)
    return len(docs), removed_count


def queue(page_ids: list[int]) -> None:
    """Put pages in the outbox for the external engine (in the caller's transaction)."""
    if not external_engine_configured():
        return
    from .outbox import send_soon

    SearchOutbox.objects.bulk_create(SearchOutbox(page_id=pk) for pk in page_ids)
    send_soon(page_ids)


def refresh_tree(page: Page) -> None:
    """``page`` and everything below it (after a move, a slug change or a privacy change)."""
    refresh(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def forget(page_ids: Iterable[int]) -> None:
    """Pages deleted: drop their documents (also any a signal rebuilt during the deletion:
    Wagtail announces a deleted live page as unpublished first) and tell the external engine."""
    page_ids = list(page_ids)
    SearchDocument.categories.through.objects.filter(searchdocument_id__in=page_ids).delete()
    SearchDocument.objects.filter(page_id__in=page_ids).delete()
    queue(page_ids)
