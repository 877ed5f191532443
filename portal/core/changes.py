"""Which portals changed what they show, told once per transaction (or per batch of them).

Anything that changes what a portal's public pages show calls :func:`note` with the portal's
site (Wagtail's page events and the portal's settings and taxonomy are wired here; apps call
it for their own rows, e.g. a quote counted on a buy request). When the transaction commits,
:data:`portal_changed` is sent once with the ids of the sites touched, and receivers (the
page cache's purge) work out what that means for them. A job that changes many pages, such as
the board's expiry, wraps its loop in :func:`batch` so that receivers run once at its end.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

# Sent with ``site_ids``, the ``Site`` primary keys whose portals changed, and ``everything``,
# the root URLs of sites whose every page may have changed (the site was deleted or moved to
# another address, an image its pages show was replaced).
portal_changed = Signal()

_state = threading.local()


def _pending() -> set[int]:
    if not hasattr(_state, "pending"):
        _state.pending, _state.gone, _state.depth = set(), set(), 0
    return _state.pending


def note(site_id: int | None) -> None:
    """Record that the portal of ``site_id`` changed; receivers hear of it after the commit."""
    if site_id is None:
        return
    _pending().add(site_id)
    if _state.depth == 0:
        # Once per call: after a rollback the next commit still sends (more than needed).
        transaction.on_commit(_flush)


def note_everything(root_url: str) -> None:
    """Record that every page of the site at ``root_url`` may have changed."""
    _pending()
    _state.gone.add(root_url)
    if _state.depth == 0:
        transaction.on_commit(_flush)


def note_every_portal() -> None:
    """Record a change of every portal: for what changes by date alone, checked daily or so."""
    with batch():
        for site_id in Site.objects.values_list("pk", flat=True):
            note(site_id)


def note_page(page: Page) -> None:
    """Record a change of ``page`` for the portal it belongs to."""
    site = page.get_site()
    note(site.pk if site is not None else None)


@contextmanager
def batch() -> Iterator[None]:
    """Hold the notices of everything done inside until the end, then send them once."""
    _pending()
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0 and (_state.pending or _state.gone):
            transaction.on_commit(_flush)


def _flush() -> None:
    site_ids, _state.pending = set(_pending()), set()
    gone, _state.gone = set(_state.gone), set()
    if site_ids or gone:
        portal_changed.send(sender=None, site_ids=site_ids, everything=gone)


def _on_page_event(sender, instance: Page, **kwargs) -> None:
    note_page(instance)


def _on_page_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.depth > 1:
        note_page(instance)


def _on_site_row(sender, instance, **kwargs) -> None:
    note(instance.site_id)


def _on_restriction(sender, instance: PageViewRestriction, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        note_page(page)


def _on_site(sender, instance: Site, **kwargs) -> None:
    note(instance.pk)


def _on_site_deleted(sender, instance: Site, **kwargs) -> None:
    note_everything(instance.root_url)


def _before_site_saved(sender, instance: Site, **kwargs) -> None:
    """A site given another hostname or port: its old address is gone."""
    if instance.pk is not None:
        old = Site.objects.filter(pk=instance.pk).first()
        if old is not None and old.root_url != instance.root_url:
            note_everything(old.root_url)


def pages_referencing(instance: Any) -> list[int]:
    """Ids of the pages whose fields link to ``instance`` (Wagtail's reference index: rich
    text, choosers)."""
    references = ReferenceIndex.get_references_to(instance).filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page"
    )
    return [int(object_id) for object_id in references.values_list("object_id", flat=True)]


def _on_image(sender, instance, created: bool = False, **kwargs) -> None:
    """A replaced or deleted image: its old renditions are gone from every page showing it."""
    if created:
        return
    from .models import PortalSettings

    sites = set(PortalSettings.objects.filter(logo=instance).values_list("site_id", flat=True))
    for page in Page.objects.filter(pk__in=pages_referencing(instance)):
        site = page.get_site()
        if site is not None:
            sites.add(site.pk)
    for site in Site.objects.filter(pk__in=sites):
        note_everything(site.root_url)


def _on_move(sender, instance: Page, parent_page_before=None, **kwargs) -> None:
    """A moved page changes the portal it left as well as the one it joined."""
    note_page(instance)
    if parent_page_before is not None:
        note_page(parent_page_before)


def connect() -> None:
    """Wire Wagtail's page events and the portal's own rows (from ``CoreConfig.ready``)."""
    from .models import Category, PortalSettings, Region

    for signal in (page_published, page_unpublished, page_slug_changed):
        signal.connect(_on_page_event, dispatch_uid=f"changes-{id(signal)}")
    post_page_move.connect(_on_move, dispatch_uid="changes-move")
    pre_save.connect(_before_site_saved, sender=Site, dispatch_uid="changes-site-before")
    post_delete.connect(_on_site_deleted, sender=Site, dispatch_uid="changes-site-deleted")
    pre_delete.connect(_on_page_delete, dispatch_uid="changes-page-delete")
    for model in (PortalSettings, Category, Region):
        for signal in (post_save, post_delete):
            signal.connect(_on_site_row, sender=model, dispatch_uid=f"changes-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="changes-r")
    post_save.connect(_on_site, sender=Site, dispatch_uid="changes-site")
    image = getattr(settings, "WAGTAILIMAGES_IMAGE_MODEL", "wagtailimages.Image")
    for signal in (post_save, pre_delete):
        signal.connect(_on_image, sender=image, dispatch_uid=f"changes-image-{id(signal)}")
