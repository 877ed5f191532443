"""Wagtail's page events keep search documents current as they happen.

A failure here must not fail the editor's publication: it is logged and the page is queued
for the worker (``search_index process``) to rebuild its document.
"""

import functools
import logging

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.core.models import Category

from .documents import pages_showing
from .models import SearchDocument, SearchOutbox
from .sync import forget, reindex, reindex_tree

log = logging.getLogger(__name__)


def never_fails(handler):
    @functools.wraps(handler)
    def wrapper(sender, instance, **kwargs) -> None:
        try:
            handler(sender, instance, **kwargs)
        except Exception:
            page_id = getattr(instance, "page_id", None) or getattr(instance, "pk", None)
            log.exception("Search update failed for %s; queued for the worker", instance)
            if isinstance(instance, Page | PageViewRestriction) and page_id:
                SearchOutbox.objects.create(page_id=page_id, rebuild=True)

    return wrapper


@never_fails
def on_publish_change(sender, instance, **kwargs) -> None:
    reindex([instance.pk])
    if showing := pages_showing(instance):  # e.g. listings show their company's name
        reindex(showing)


@never_fails
def on_tree_change(sender, instance, **kwargs) -> None:
    reindex_tree(instance)


@never_fails
def on_restriction_change(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # not when the restriction goes with its deleted page
        reindex_tree(page)


@never_fails
def on_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        forget([instance.pk])


@never_fails
def on_category_change(sender, instance, **kwargs) -> None:
    """A renamed, moved or deleted category: the documents filed under it."""
    affected = SearchDocument.categories.through.objects.filter(
        category_id=instance.pk
    ).values_list("searchdocument_id", flat=True)
    reindex(list(affected))


def connect() -> None:
    page_published.connect(on_publish_change, dispatch_uid="search-published")
    page_unpublished.connect(on_publish_change, dispatch_uid="search-unpublished")
    page_slug_changed.connect(on_tree_change, dispatch_uid="search-slug")
    post_page_move.connect(on_tree_change, dispatch_uid="search-move")
    post_delete.connect(on_delete, dispatch_uid="search-deleted")
    for signal in (post_save, post_delete):
        signal.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-r")
        signal.connect(on_category_change, sender=Category, dispatch_uid="search-category")
