"""Keeping search in step with pages: the one entry point for the rest of the product.

Publishing, unpublishing, expiry, deletion and bulk loads all come through here, so a page and
its search document never disagree after a commit, and the external engine (if any) hears of
every change through the outbox.
"""

from collections.abc import Iterable

from wagtail.models import Page

from .documents import PortalLookup
from .indexing import drop_documents, write_documents
from .outbox import queue


def reindex(
    page_ids: Iterable[int], portals: PortalLookup | None = None, send: bool = True
) -> tuple[int, int]:
    """Rebuild (or drop) the documents of ``page_ids``; returns (indexed, removed). With
    ``send`` the pages are also queued for the external engine."""
    page_ids = list(dict.fromkeys(page_ids))
    counts = write_documents(page_ids, portals)
    if send and page_ids:
        queue(page_ids)
    return counts


def reindex_tree(page: Page) -> None:
    """``page`` and everything below it (after a move, a slug change or a privacy change)."""
    reindex(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def forget(page_ids: Iterable[int]) -> None:
    """Pages deleted: drop their documents and tell the external engine."""
    page_ids = list(page_ids)
    drop_documents(page_ids)
    queue(page_ids)
