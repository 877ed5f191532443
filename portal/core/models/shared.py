"""What every page of a portal shows alike, looked up once per process instead of per request.

The site of a host, the portal's settings (with its logo), the home page's sections and
menu, the taxonomy and where the view restrictions are: every page needs them, and they change
rarely. :func:`shared` keeps them in this process under a **version** held in the cache that
processes share (``CACHES["shared"]``: files of this machine, or Redis with ``CACHE_URL``).
Saving or deleting what they are made of (a page, a site, portal settings, a category, a
region, a view restriction, an image) puts a new version there, at once and again when the
transaction commits, so every process drops its copies before its next request. A request
reads the version once (it is kept on the request); code without a request reads it on every call.

Copies are also dropped after :data:`MAX_AGE` seconds, which bounds what a change that went
past the signals (a rolled-back transaction read inside, an ``update()`` in a shell, a
deployment without a shared cache) can leave behind.

Values are shared by the requests (and threads) of the process: never change one in place;
hand out a copy (:func:`copied`) where a request would.
"""

import copy
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from .settings import PortalSettings

T = TypeVar("T")

VERSION_KEY = "guildhall:shared:version"
REQUEST_ATTR = "_guildhall_shared_version"
MAX_AGE = 60.0  # seconds
MAX_ENTRIES = 2000  # hosts are part of some keys: never let the memo grow without bound


class _Memo:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: str | None = None
        self.born = 0.0
        self.values: dict[Any, Any] = {}

    def clear(self) -> None:
        with self.lock:
            self.version, self.values = None, {}


_memo = _Memo()


def current_version() -> str:
    """The version of what is shared, from the processes' cache (a new one when it has none)."""
    cache = caches["shared"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def _request_version(request: HttpRequest | None) -> str:
    if request is None:
        return current_version()
    version = getattr(request, REQUEST_ATTR, None)
    if version is None:
        version = current_version()
        setattr(request, REQUEST_ATTR, version)
    return version


def shared(request: HttpRequest | None, key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process until what it is made of changes."""
    version = _request_version(request)
    with _memo.lock:
        if _memo.version != version or time.monotonic() - _memo.born > MAX_AGE:
            _memo.version, _memo.born, _memo.values = version, time.monotonic(), {}
        if key in _memo.values:
            return _memo.values[key]
    value = compute()
    with _memo.lock:
        if _memo.version == version:
            if len(_memo.values) >= MAX_ENTRIES:
                _memo.values = {}
            _memo.values[key] = value
    return value


def copied(value: T) -> T:
    """A shallow copy of a shared model instance, for one request to set attributes on."""
    return copy.copy(value)


def changed(**kwargs: Any) -> None:
    """Something shared changed: a new version now (this transaction's own reads see it) and
    another when the transaction commits (other processes may have read the old rows in
    between and kept them under the first one)."""
    _bump()
    connection = transaction.get_connection()
    pending = (callback for _, callback, _ in connection.run_on_commit)
    if connection.in_atomic_block and _bump not in pending:
        transaction.on_commit(_bump)  # once per transaction, however many rows it saves


def _bump() -> None:
    _memo.clear()
    caches["shared"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _page_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        changed()


def connect() -> None:
    """Wire the signals of everything :func:`shared` values are made of (from the import of
    ``portal.core.models``; models named by label, so none needs to be loaded yet)."""
    # Pages: every model's signals, as pages are saved as their specific class.
    post_save.connect(_page_changed, dispatch_uid="shared-page-save")
    post_delete.connect(_page_changed, dispatch_uid="shared-page-delete")
    post_page_move.connect(changed, dispatch_uid="shared-page-move")
    image = getattr(settings, "WAGTAILIMAGES_IMAGE_MODEL", "wagtailimages.Image")
    for label in (
        "wagtailcore.Site",
        "wagtailcore.PageViewRestriction",
        "core.PortalSettings",
        "core.Category",
        "core.Region",
        image,
    ):
        post_save.connect(changed, sender=label, dispatch_uid=f"shared-save-{label}")
        post_delete.connect(changed, sender=label, dispatch_uid=f"shared-delete-{label}")
    m2m_changed.connect(
        changed, sender=PageViewRestriction.groups.through, dispatch_uid="shared-restriction-groups"
    )


# -- What is shared --------------------------------------------------------------------------


def site_for_request(request: HttpRequest) -> Site | None:
    """``Site.find_for_request``, without its query when this process knows the host."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    site = shared(request, ("site", hostname, port), lambda: Site._find_for_request(request))
    request._wagtail_site = copied(site) if site is not None else None
    return request._wagtail_site


def portal_settings_for(request: HttpRequest | None, site: Site) -> PortalSettings:
    """The site's ``PortalSettings`` (its logo loaded), one copy per request; also what
    ``PortalSettings.for_request`` answers for the rest of the request."""
    attr = PortalSettings.get_cache_attr_name()
    if request is not None:
        cached = getattr(request, attr, None)
        if cached is not None and cached.site_id == site.pk:
            return cached

    def load() -> PortalSettings:
        row, _ = PortalSettings.objects.select_related("logo").get_or_create(site=site)
        return row

    row = copied(shared(request, ("settings", site.pk), load))
    if request is not None:
        row._request = request
        if site_for_request(request) == site:
            setattr(request, attr, row)
    return row


def restricted_paths(request: HttpRequest | None = None) -> tuple[frozenset, tuple]:
    """Where the view restrictions are: the tree paths of alias pages (whose restrictions are
    their originals'), and ``(path, depth, restriction id)`` of every restricted page."""

    def load() -> tuple[frozenset, tuple]:
        aliases = frozenset(
            Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        )
        restrictions = tuple(
            PageViewRestriction.objects.values_list("page__path", "page__depth", "pk")
        )
        return aliases, restrictions

    return shared(request, "restrictions", load)


RESTRICTED_IDS_MAX = 5000


def under_restrictions(restrictions: tuple) -> Q:
    """The pages under ``restrictions`` (``restricted_paths`` entries), by tree path."""
    q = Q()
    for tree_path, depth, _ in restrictions:
        q |= Q(path__startswith=tree_path, depth__gte=depth)
    return q


def restricted_page_ids(restrictions: tuple, model: type[Page] = Page) -> tuple[int, ...] | None:
    """The ids of the pages of ``model`` (or a model extending it) under ``restrictions``
    (``restricted_paths`` entries), sorted, kept per process; None when there are more than
    ``RESTRICTED_IDS_MAX`` (a whole restricted section), where a condition on the tree paths
    is cheaper than a list."""

    def load() -> tuple[int, ...] | None:
        # The restricted pages by their paths (an index lookup each), and what is below
        # those that have children: the tree-path condition alone is tested on every page
        # (250 ms for the demo's 157 members-only reports).
        paths = [tree_path for tree_path, _, _ in restrictions]
        parents = Page.objects.filter(path__in=paths, numchild__gt=0)
        below = tuple((path, depth, None) for path, depth in parents.values_list("path", "depth"))
        pages = Page.objects.filter(Q(path__in=paths) | under_restrictions(below))
        if model is not Page:
            pages = pages.type(model)
        ids = list(pages.values_list("pk", flat=True)[: RESTRICTED_IDS_MAX + 1])
        return tuple(sorted(ids)) if len(ids) <= RESTRICTED_IDS_MAX else None

    if not restrictions:
        return ()
    return shared(None, ("restricted-ids", restrictions, model._meta.label), load)
