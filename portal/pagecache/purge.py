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
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Page, Site

from portal.core.models import PortalHomePage
from portal.core.sections import section_types
from portal.export.stamps import portal_stamp
from portal.export.targets import Target, portal_targets
from search.documents import pages_showing

from .backends import ban
from .models import PurgeSnapshot

log = logging.getLogger(__name__)


def purging() -> bool:
    """Whether any page cache is configured to be purged."""
    return bool(get_backends())


def on_portal_changed(sender: object, site_ids: set[int], **kwargs: object) -> None:
    """``portal_changed`` receiver: purge what changed, as a task (Wagtail's own purges are
    tasks too): at once with the default backend, or by a worker when ``TASKS`` names one."""
    if purging():
        purge_portals.enqueue(sorted(site_ids))


@task()
def purge_portals(site_ids: list[int]) -> None:
    """Purge what changed on the sites ``site_ids``; never fails the change itself."""
    for site in Site.objects.filter(pk__in=site_ids).select_related("root_page"):
        try:
            purge_portal(site)
        except Exception:
            log.exception("Purging the page cache of %s failed; banning the portal", site)
            ban(site.root_url, "/")


def purge_portal(site: Site) -> list[str]:
    """Purge what changed on ``site`` since the last snapshot; returns the paths purged
    (``["/"]`` alone when the whole portal was banned)."""
    root = site.root_page.specific
    if not isinstance(root, PortalHomePage):  # the hub: one page, and every portal's tile
        ban(site.root_url, "/")
        return ["/"]
    with transaction.atomic():
        snapshot = PurgeSnapshot.objects.select_for_update().filter(site=site).first()
        targets = portal_targets(site)
        whole = portal_stamp(site)
        current = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in targets}
        if snapshot is None or snapshot.portal_stamp != whole:
            paths = None
        else:
            paths = sorted(changed_paths(root, targets, snapshot.stamps))
        PurgeSnapshot.objects.update_or_create(
            site=site, defaults={"portal_stamp": whole, "stamps": current}
        )
    if paths is None:
        ban(site.root_url, "/")
        for hub in Site.objects.exclude(pk=site.pk).select_related("root_page"):
            if not isinstance(hub.root_page.specific, PortalHomePage):
                ban(hub.root_url, "/")  # the hub shows every portal's name and colours
        return ["/"]
    purge_urls_from_cache([site.root_url + path for path in paths])
    ban(site.root_url, "/search/")
    return paths


def changed_paths(root: PortalHomePage, targets: list[Target], previous: dict) -> set[str]:
    """The paths whose content differs from ``previous`` (``{path: [stamp, link, id]}``)."""
    by_path = {t.path: t for t in targets}
    changed = {path for path, t in by_path.items() if previous.get(path, [None])[0] != t.stamp}
    changed |= set(previous) - set(by_path)
    # Pages whose card, title or URL changed, appeared or went: who links to them.
    relinked = {t.page_id for t in targets if t.detail and _link(previous, t.path) != t.link_stamp}
    relinked |= {
        row[2] for path, row in previous.items() if path not in by_path and len(row) > 2 and row[2]
    }
    if relinked:
        changed |= _linking(root, targets, relinked)
    return changed


def _link(previous: dict, path: str) -> str | None:
    row = previous.get(path)
    return row[1] if row else None


def _linking(root: PortalHomePage, targets: list[Target], page_ids: set[int]) -> set[str]:
    """Paths of the targets that show or link to the pages ``page_ids``."""
    detail_paths: dict[int, str] = {t.page_id: t.path for t in targets if t.detail and t.page_id}
    lists: dict[int, list[str]] = defaultdict(list)
    for t in targets:
        if not t.detail and t.page_id:
            lists[t.page_id].append(t.path)
    paths = {"/"}
    parents = Page.objects.filter(pk__in=page_ids).values_list("pk", "path", "depth")
    parent_paths = {path[: (depth - 1) * Page.steplen] for _, path, depth in parents}
    for section_id in Page.objects.filter(path__in=parent_paths).values_list("pk", flat=True):
        paths.update(lists.get(section_id, ()))
        paths.add(detail_paths.get(section_id, ""))
    showing = set(_shown_by(root, page_ids))
    for page in Page.objects.filter(pk__in=page_ids).specific():
        showing.update(pages_showing(page))
    paths.update(detail_paths[pk] for pk in showing if pk in detail_paths)
    paths.discard("")
    return paths


def _shown_by(root: PortalHomePage, page_ids: set[int]) -> Iterable[int]:
    """Pages whose section type says they show one of ``page_ids`` (matches, listings)."""
    for entry in section_types():
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
