"""The sitemap of a portal: its live, public pages, without those their section retired
(closed or expired listings).

``/sitemap.xml`` is a sitemap index: one file per section (``/sitemaps/<section>.xml``) and
one for the home page and the pages outside sections (``/sitemap-pages.xml``), each split in
files of at most ``PortalSitemap.limit`` URLs (50,000, the protocol's limit) as
``<name>.2.xml``, ``<name>.3.xml``... A change rebuilds and purges its section's file and
the index, not a list of every page; and a portal of 100,000 listings is listed whole.

Wagtail's own sitemap loads every page as its specific type to ask it for its URLs; here the
sections' rule for retired pages is applied in the query, and each URL is made from the page's
path below the portal's home page, the way Wagtail makes it, without loading the pages: the
same sitemap, many times faster to make. ``sitemap`` writes the XML without a template, byte
for byte what Django's sitemap template makes of the same URLs: a portal of 10,000 pages in a
few tens of milliseconds instead of seconds, which matters to its static copy, remade whenever
a page is published.
"""

import html
import math
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import CharField, Count, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.contrib.sitemaps import Sitemap
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Revision, Site

from portal.core.models.pages import all_pages, retired_items

T = TypeVar("T")

# What Django's ``reverse`` leaves unquoted in a path (RFC 3986 sub-delimiters, "/~:@").
SAFE = "!$&'()*+,;=/~:@"


def section_slugs(root: Page) -> list[str]:
    """The slugs of the sections of the portal at ``root``: each has sitemap files of its own
    (a site without sections, the hub, has one file)."""
    sections = getattr(root.specific, "sections", None)
    return [section.slug for section in sections()] if sections is not None else []


def sitemap_key(path: str, sections: Collection[str]) -> str | None:
    """Which sitemap lists the page at ``path`` (below the portal, ``/board/x/``): its
    section's slug, or None for the home page and the pages outside sections."""
    first = path.strip("/").split("/", 1)[0]
    return first if first in sections else None


def sitemap_path(key: str | None, number: int = 1) -> str:
    """The URL path of a sitemap file: the ``number``-th of section ``key`` (None: of the
    pages outside sections)."""
    kwargs: dict[str, Any] = {"number": number} if number > 1 else {}
    if key is None:
        return reverse("sitemap_pages", kwargs=kwargs)
    return reverse("sitemap_section", kwargs={"slug": key, **kwargs})


def sitemap_files(
    items: Iterable[T], path_of: Callable[[T], str], sections: Collection[str]
) -> dict[str, list[T]]:
    """``items`` (pages in tree order) by the sitemap file that lists them, keyed by the
    file's URL path, in the order of the index."""
    by_key: dict[str | None, list[T]] = {None: []}
    for item in items:
        by_key.setdefault(sitemap_key(path_of(item), sections), []).append(item)
    limit = PortalSitemap.limit
    return {
        sitemap_path(key, number + 1): listed[number * limit : (number + 1) * limit]
        for key, listed in by_key.items()
        for number in range(math.ceil(len(listed) / limit))
    }


class PortalSitemap(Sitemap):
    """The portal's pages, or with ``key`` those of one sitemap file's section (see
    ``sitemap_key``)."""

    def __init__(self, request: HttpRequest | None = None, key: str | None = "") -> None:
        super().__init__(request)
        self.key = key  # "": every page

    def items(self) -> QuerySet:
        root = self.get_wagtail_site().root_page
        # The project's ``public()``: the few restricted pages by id, not a tree-path test of
        # every page against every restriction.
        pages = all_pages().descendant_of(root, inclusive=True)
        if self.key:
            pages = pages.filter(url_path__startswith=f"{root.url_path}{self.key}/")
        elif self.key is None:
            for slug in section_slugs(root):
                pages = pages.exclude(url_path__startswith=f"{root.url_path}{slug}/")
        return pages.live().public().exclude(retired_items()).order_by("path").defer_streamfields()

    def _urls(self, page, protocol, domain) -> list[dict]:
        site = self.get_wagtail_site()
        if not _owns_its_pages(site):
            return super()._urls(page, protocol, domain)
        root_path = site.root_page.url_path
        prefix = site.root_url + reverse("wagtail_serve", args=("",))
        object_list = self.paginator.page(page).object_list
        rows = list(
            object_list.values_list(
                "url_path", "last_published_at", "latest_revision_created_at", "pk"
            )
        )
        changed = content_changed_at(object_list)
        urls = []
        for url_path, published, revised, pk in rows:
            path = quote(url_path[len(root_path) :], safe=SAFE)
            if not WAGTAIL_APPEND_SLASH and path:
                path = path.rstrip("/")
            lastmod = changed.get(pk) or published or revised
            urls.append({"location": prefix + path, "lastmod": lastmod})
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


# What a page's revision holds that is not its content: where it is in the tree, its state of
# publication, locks and ids. A revision that differs from the one before only in these
# changed nothing a reader sees.
NOT_CONTENT = {
    "pk",
    "id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "live_revision",
    "latest_revision",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "expired",
    "go_live_at",
    "expire_at",
    "content_type",
    "translation_key",
    "locale",
    "alias_of",
    "wagtail_admin_comments",
    "comments",
}


def _content(revision: dict) -> dict:
    return {
        key: value
        for key, value in revision.items()
        if key not in NOT_CONTENT and not key.endswith("_ptr")
    }


def content_changed_at(pages: QuerySet) -> dict[int, datetime]:
    """When the content of each page of ``pages`` that was published again unchanged (saved
    and published with nothing edited, or by a relaunch) last changed: the creation of the
    oldest revision of the run of identical revisions that ends with its live one. Pages
    whose live revision changed something keep their publication date (not listed here).
    Two queries: which pages have more than one revision, then those pages' revisions."""
    page_ids = pages.annotate(key=Cast("pk", CharField())).values("key")
    several = (
        Revision.page_revisions.filter(object_id__in=Subquery(page_ids))
        .values("object_id")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values("object_id")
    )
    live = dict(pages.values_list("pk", "live_revision_id"))
    rows = (
        Revision.page_revisions.filter(object_id__in=Subquery(several))
        .order_by("object_id", "-pk")
        .values_list("object_id", "pk", "created_at", "content")
    )
    changed: dict[int, datetime] = {}
    run: dict[int, tuple[dict, datetime, bool]] = {}  # page: (live content, date, run open)
    for object_id, pk, created_at, content in rows:
        page = int(object_id)
        if pk > (live.get(page) or 0):
            continue  # a draft newer than what is published
        if page not in run:
            run[page] = (_content(content), created_at, True)
            continue
        shown, since, open_run = run[page]
        if open_run and _content(content) == shown:
            run[page] = (shown, created_at, True)
            changed[page] = created_at
        else:
            run[page] = (shown, since, False)
    return changed


def _owns_its_pages(site: Site) -> bool:
    """Whether Wagtail gives every page below ``site``'s home page a URL of ``site``: no
    other site has its home page inside this one's, and pages carry no language prefix."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return False
    root_path = site.root_page.url_path
    return not any(
        other.site_id != site.pk and other.root_path.startswith(root_path)
        for other in Site.get_site_root_paths()
    )


HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
INDEX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def urlset_xml(urls: list[dict]) -> str | None:
    """What Django's ``sitemap.xml`` template renders for ``urls``; None for URLs with more
    than a location and a date (change frequency, priority, alternates), left to it."""
    parts = []
    zone = timezone.get_current_timezone()  # once: ``localtime`` looks it up on every call
    for url in urls:
        if url.get("changefreq") or url.get("priority") or url.get("alternates"):
            return None
        lastmod = url.get("lastmod")
        if isinstance(lastmod, datetime) and timezone.is_aware(lastmod):
            lastmod = lastmod.astimezone(zone)
        # The template's autoescape is ``html.escape``, without Django's lazy-string wrapper.
        parts.append(f"<url><loc>{html.escape(url['location'])}</loc>")
        if lastmod:
            parts.append(f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>")
        parts.append("</url>")
    return HEAD + "".join(parts) + "\n</urlset>\n"


def index_xml(locations: Iterable[str]) -> str:
    """A sitemap index of the files at ``locations``."""
    listed = "".join(
        f"<sitemap><loc>{html.escape(location)}</loc></sitemap>" for location in locations
    )
    return INDEX_HEAD + listed + "\n</sitemapindex>\n"


@x_robots_tag
def sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the index of the portal's sitemap files. It dates none of them (the
    protocol makes that optional): a date would be its newest URL's, worked out from every
    page's revisions, and would make the index change with each of them; crawlers read the
    dates in the files."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No portal here")
    root = site.root_page
    prefix = len(root.url_path) - 1
    paths = PortalSitemap(request).items().values_list("url_path", flat=True)
    files = sitemap_files(paths, lambda path: path[prefix:], section_slugs(root))
    body = index_xml(site.root_url + path for path in files)
    return HttpResponse(body, content_type="application/xml")


@x_robots_tag
def sitemap_file(
    request: HttpRequest, slug: str | None = None, number: str | None = None
) -> HttpResponse:
    """A sitemap file of the index: Wagtail's sitemap view of ``PortalSitemap`` for one
    section (or the pages outside sections), without its template."""
    site = Site.find_for_request(request)
    if site is None or (slug is not None and slug not in section_slugs(site.root_page)):
        raise Http404("No such sitemap")
    pages = PortalSitemap(request, slug)
    try:
        urls = pages.get_urls(
            page=int(number or 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the sitemap") from None
    if not urls and (slug is not None or number):
        raise Http404("No such sitemap")
    body = urlset_xml(urls)
    if body is None:
        response = TemplateResponse(
            request, "sitemap.xml", {"urlset": urls}, content_type="application/xml"
        )
        return response.render()
    lastmod = getattr(pages, "latest_lastmod", None)
    headers = {"Last-Modified": http_date(lastmod.timestamp())} if lastmod else None
    return HttpResponse(body, content_type="application/xml", headers=headers)
