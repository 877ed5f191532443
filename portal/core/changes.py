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

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

# Sent with ``site_ids``: a set of ``Site`` primary keys whose portals changed.
portal_changed = Signal()

_state = threading.local()


def _pending() -> set[int]:
    if not hasattr(_state, "pending"):
        _state.pending, _state.depth = set(), 0
    return _state.pending


def note(site_id: int | None) -> None:
    """Record that the portal of ``site_id`` changed; receivers hear of it after the commit."""
    if site_id is None:
        return
    _pending().add(site_id)
    if _state.depth == 0:
        # Once per call: after a rollback the next commit still sends (more than needed).
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
        if _state.depth == 0 and _state.pending:
            transaction.on_commit(_flush)


def _flush() -> None:
    site_ids, _state.pending = set(_pending()), set()
    if site_ids:
        portal_changed.send(sender=None, site_ids=site_ids)


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


def connect() -> None:
    """Wire Wagtail's page events and the portal's own rows (from ``CoreConfig.ready``)."""
    from .models import Category, PortalSettings, Region

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_on_page_event, dispatch_uid=f"changes-{id(signal)}")
    pre_delete.connect(_on_page_delete, dispatch_uid="changes-page-delete")
    for model in (PortalSettings, Category, Region):
        for signal in (post_save, post_delete):
            signal.connect(_on_site_row, sender=model, dispatch_uid=f"changes-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="changes-r")
        signal.connect(_on_site, sender=Site, dispatch_uid="changes-site")
