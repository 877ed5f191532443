"""Wagtail's page events keep search documents current, in the same transaction."""

from django.db.models.signals import post_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .indexing import forget, refresh, refresh_tree


def on_publish_change(sender, instance, **kwargs) -> None:
    refresh([instance.pk])


def on_tree_change(sender, instance, **kwargs) -> None:
    refresh_tree(instance)


def on_restriction_change(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # not when the restriction goes with its deleted page
        refresh_tree(page)


def on_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        forget([instance.pk])


def connect() -> None:
    page_published.connect(on_publish_change, dispatch_uid="search-published")
    page_unpublished.connect(on_publish_change, dispatch_uid="search-unpublished")
    page_slug_changed.connect(on_tree_change, dispatch_uid="search-slug")
    post_page_move.connect(on_tree_change, dispatch_uid="search-move")
    post_delete.connect(on_delete, dispatch_uid="search-deleted")
    for signal in ("post_save", "post_delete"):
        from django.db.models import signals

        getattr(signals, signal).connect(
            on_restriction_change, sender=PageViewRestriction, dispatch_uid=f"search-{signal}"
        )
