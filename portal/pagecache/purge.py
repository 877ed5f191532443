"""What to purge from the page cache when a portal changes, from the static export's rules.

The static export knows, for every URL a portal serves, a stamp of what it was built from
(``portal.export.targets``): a page's revision and what its section type says it shows of
other pages (matches, counts, a company's listings), every page of every list under every
filter with the items it shows, feeds with their items, the sitemap. After a change the
targets are worked out again and compared with the last snapshot: every path whose stamp
changed, appeared or went is purged. A page whose title, URL or publication changed is also
shown by pages that link to it; those are its section's lists, the home page, and the pages
whose section type says they show it (a listing's matches, a company's listings, the
listings that show a company's name). The search page's variants are banned as a whole,
and a change of what every page shows (settings, menu, taxonomy, templates) bans the portal.
"""

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, Site

from portal.core.changes import pages_referencing
from portal.core.models import PortalHomePage
from portal.core.sections import page_state_sources
from portal.export.stamps import portal_stamp
from portal.export.targets import Target, portal_targets
from search.documents import pages_showing

from .backends import ban, page_caches, purge
from .models import PurgeSnapshot

log = logging.getLogger(__name__)


def purging() -> bool:
    """Whether any page cache is configured to be purged."""
    return bool(get_backends())


def on_portal_changed(
    sender: object, site_ids: set[int], everything: set[str] = frozenset(), **kwargs: object
) -> None:
    """``portal_changed`` receiver: purge what changed, as a task (Wagtail's own purges are
    tasks too): at once with the default backend, or by a worker when ``TASKS`` names one."""
    if purging():
        purge_portals.enqueue(sorted(site_ids), sorted(everything))


@task()
def purge_portals(site_ids: list[int], everything: list[str] | None = None) -> None:
    """Purge what changed on the sites ``site_ids``, and every page of the sites at the root
    URLs ``everything`` (deleted, moved to another address, showing a replaced image)."""
    for root_url in everything or ():
        ban(root_url, "/")
    if everything:
        ban_hubs("/")
    for site in Site.objects.filter(pk__in=site_ids).select_related("root_page"):
        paths = purge_portal(site)
        if paths:
            again_later(site.root_url, paths)


def purge_portal(site: Site) -> list[str]:
    """Purge what changed on ``site`` since the last snapshot; returns the paths purged
    (``["/"]`` alone when the whole portal was banned). Never fails the change: when what
    changed cannot be worked out, or a cache could not be told, the portal is banned and
    its snapshot forgotten, so that the next change bans it again."""
    root = site.root_page.specific
    if not isinstance(root, PortalHomePage):  # the hub: one page, and every portal's tile
        ban(site.root_url, "/")
        return ["/"]
    try:
        paths = _changes(site, root)
    except Exception:
        log.exception("What changed on %s cannot be worked out; banning the portal", site)
        paths = None
    if paths is None:
        told = ban(site.root_url, "/") & ban_hubs("/")
        paths = ["/"]
    else:
        told = purge(site.root_url, paths) & ban(site.root_url, "/search/") & ban_hubs("/search/")
    if not told:
        PurgeSnapshot.objects.filter(site=site).delete()
    return paths


def _changes(site: Site, root: PortalHomePage) -> list[str] | None:
    """The paths that changed since the snapshot, which is brought up to date; None when
    everything may have (no snapshot, or what every page shows changed)."""
    cache = settings.PAGE_CACHE
    with transaction.atomic():
        snapshot = PurgeSnapshot.objects.select_for_update().filter(site=site, cache=cache).first()
        targets = portal_targets(site)
        whole = portal_stamp(site)
        current = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in targets}
        paths = None
        if snapshot is not None and snapshot.portal_stamp == whole:
            changed = changed_paths(root, targets, snapshot.stamps)
            paths = None if changed is None else sorted(changed)
        PurgeSnapshot.objects.update_or_create(
            site=site, cache=cache, defaults={"portal_stamp": whole, "stamps": current}
        )
    return paths


def ban_hubs(prefix: str) -> bool:
    """The hub shows every portal (its tiles; its search covers them all)."""
    told = True
    for hub in Site.objects.select_related("root_page"):
        if not isinstance(hub.root_page.specific, PortalHomePage):
            told &= ban(hub.root_url, prefix)
    return told


def again_later(root_url: str, paths: list[str]) -> None:
    """Purge ``paths`` once more after ``PAGE_CACHE_REPURGE_SECONDS``, from the caches that
    need it: Varnish may have been fetching one of them, rendered before the change, while
    the first purge was made, and would keep that copy (the app's own cache records what it
    read before rendering instead)."""
    delay = settings.PAGE_CACHE_REPURGE_SECONDS
    caches = [c for c in page_caches(root_url) if getattr(c, "purges_in_flight", True)]
    if not delay or not caches:
        return
    urls = [root_url + path for path in paths]

    def repurge() -> None:
        for cache in caches:
            if paths == ["/"]:
                cache.ban(urlsplit(root_url).netloc, "/")
            else:
                cache.purge_urls(urls)

    # Not a daemon: a command that made the change waits for it before it exits.
    threading.Timer(delay, repurge).start()


def changed_paths(root: PortalHomePage, targets: list[Target], previous: dict) -> set[str] | None:
    """The paths whose content differs from ``previous`` (``{path: [stamp, link, id]}``);
    None when a page that others may show is gone from the database (deleted): who showed
    it can no longer be asked."""
    by_path = {t.path: t for t in targets}
    changed = {path for path, t in by_path.items() if previous.get(path, [None])[0] != t.stamp}
    changed |= set(previous) - set(by_path)
    # Pages whose card, title or URL changed, appeared or went: who links to them.
    relinked = {t.page_id for t in targets if t.detail and _link(previous, t.path) != t.link_stamp}
    relinked |= {
        row[2] for path, row in previous.items() if path not in by_path and len(row) > 2 and row[2]
    }
    if relinked:
        linking = _linking(root, targets, relinked)
        if linking is None:
            return None
        changed |= linking
    return changed


def _link(previous: dict, path: str) -> str | None:
    row = previous.get(path)
    return row[1] if row else None


def _linking(root: PortalHomePage, targets: list[Target], page_ids: set[int]) -> set[str] | None:
    """Paths of the targets that show or link to the pages ``page_ids`` (None if one of them
    was deleted)."""
    detail_paths: dict[int, str] = {t.page_id: t.path for t in targets if t.detail and t.page_id}
    lists: dict[int, list[str]] = defaultdict(list)
    for t in targets:
        if not t.detail and t.page_id:
            lists[t.page_id].append(t.path)
    paths = {"/"}
    parents = list(Page.objects.filter(pk__in=page_ids).values_list("pk", "path", "depth"))
    if len(parents) < len(page_ids):
        return None
    parent_paths = {path[: (depth - 1) * Page.steplen] for _, path, depth in parents}
    for section_id in Page.objects.filter(path__in=parent_paths).values_list("pk", flat=True):
        paths.update(lists.get(section_id, ()))
        paths.add(detail_paths.get(section_id, ""))
    showing = set(_shown_by(root, page_ids))
    for page in Page.objects.filter(pk__in=page_ids).specific():
        showing.update(pages_showing(page))
        showing.update(pages_referencing(page))  # rich text and other fields linking to it
    paths.update(detail_paths[pk] for pk in showing if pk in detail_paths)
    paths.discard("")
    return paths


def _shown_by(root: PortalHomePage, page_ids: set[int]) -> Iterable[int]:
    """Pages whose section type says they show one of ``page_ids`` (matches, listings)."""
    for entry in page_state_sources():
        if entry.shown_content is None:
            continue
        for pk, parts in entry.shown_content(root).items():
            if page_ids & set(_ints(parts)):
                yield pk


def _ints(value: Any) -> Iterable[int]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _ints(item)
