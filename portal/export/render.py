"""Rendering targets as the live site answers an anonymous visitor, outside the request cycle.

Each target's view is called directly (Wagtail's page serving with its hooks for pages, the
URL's view for feeds, the sitemap and the others), with what the middleware would have given
it: an anonymous user, an empty session, the site and its settings; errors are answered by the
project's own 404 and 500 views, as Django's handler answers them. None of the middleware
changes the body of an anonymous GET, so the bytes are the live site's; skipping it (and the
URL resolver for pages, whose routes the exporter knows) is what makes rendering cheap. The
exporter marks each request as an export (see ``portal/rendering.py``).
"""

import hashlib
import logging
import re
import sys
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import response_for_exception
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponseBase
from django.test import RequestFactory
from django.urls import resolve
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.views import serve_chain
from wagtail.wagtail_hooks import check_view_restrictions

from portal.core.loading import load_pages
from portal.core.models import PortalSettings
from portal.core.models.shared import REQUEST_ATTR, current_version
from portal.rendering import LIVE_PREFIX, STATIC_EXPORT_ATTR, ExportMemo, answering

from .targets import NOT_FOUND_PROBE, Target

LINK = re.compile(rb"""(?:href|src)\s*=\s*["']([^"'#]*)""")
XML_LINK = re.compile(rb"<(?:loc|link)>\s*([^<\s]+)\s*</")
SRCSET = re.compile(rb"""srcset\s*=\s*["']([^"']*)""")
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".ics")


@dataclass
class Rendered:
    path: str
    status: int
    digest: str = ""
    links: list[str] = field(default_factory=list)
    error: str = ""


def _not_the_probe(record: logging.LogRecord) -> bool:
    """The 404 page is rendered on purpose: no "Not Found" warning for it."""
    return NOT_FOUND_PROBE not in record.getMessage()


logging.getLogger("django.request").addFilter(_not_the_probe)

_last_error: list[str] = []  # why the page being rendered failed, for the build's report


def _remember_error(sender: object, request: HttpRequest | None = None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if error is not None and request is not None and hasattr(request, STATIC_EXPORT_ATTR):
        _last_error[:] = [f"{type(error).__name__}: {error}".splitlines()[0][:200]]


got_request_exception.connect(_remember_error, dispatch_uid="guildhall-static-export-errors")


def site_address(site: Site) -> str:
    return site.root_url.rstrip("/")


class Renderer:
    """Renders the targets of one portal, rewriting its live address to the static one."""

    def __init__(self, site_id: int, base_url: str, live_url: str, bulk: bool = True) -> None:
        self.factory = RequestFactory()
        # Fresh from the database: a long-running build (--every) sees renamed portals.
        site = self.site = Site.objects.select_related("root_page").get(pk=site_id)
        address = urlsplit(site.root_url)
        self.host, self.secure = address.netloc, address.scheme == "https"
        self.live_address = site_address(site).encode()
        self.base_url = base_url.rstrip("/").encode()
        self.live_url = live_url.rstrip("/").encode()
        self.memo = ExportMemo(bulk)
        self._children: dict[str, Page] | None = None  # the portal's sections, by tree path
        # Looked up once: Wagtail reuses what it finds on the request.
        self.portal_settings = PortalSettings.for_site(site)
        # Only public pages are exported; with no view restriction anywhere, Wagtail's check
        # (a query per page) cannot refuse one.
        self.restricted = PageViewRestriction.objects.exists()
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        # The version of what processes share (``shared``), read once per batch of targets
        # rather than from the shared cache once per page.
        self.shared_version: str | None = None

    def request_for(self, target: Target) -> HttpRequest:
        """An anonymous GET of the target, as the middleware hands it to a view."""
        request = self.factory.get(
            target.request_path or target.path, HTTP_HOST=self.host, secure=self.secure
        )
        setattr(request, STATIC_EXPORT_ATTR, self.memo)
        request.user = AnonymousUser()
        request.session = self.session_store(None)
        request._wagtail_site = self.site
        if self.shared_version is not None:
            setattr(request, REQUEST_ATTR, self.shared_version)
        self.portal_settings._request = request
        setattr(request, PortalSettings.get_cache_attr_name(), self.portal_settings)
        return request

    def respond(self, target: Target, page: Page | None = None) -> tuple[int, bytes]:
        request = self.request_for(target)
        _last_error.clear()
        with answering(request):
            return self._respond(request, target, page)

    def _respond(
        self, request: HttpRequest, target: Target, page: Page | None
    ) -> tuple[int, bytes]:
        try:
            if page is not None:
                response = self.serve_page(request, (self.with_parent(page), (), {}))
            elif target.page_id is not None:
                response = self.serve_page(request, self.section_route(target))
            else:
                match = resolve(request.path_info)
                request.resolver_match = match
                response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        except Exception as error:  # answered as Django's handler answers it (404, 500...)
            response = response_for_exception(request, error)
        if getattr(response, "streaming", False):
            return response.status_code, b"".join(response.streaming_content)
        return response.status_code, response.content

    def serve_page(self, request: HttpRequest, route: tuple) -> HttpResponseBase:
        """Wagtail's ``serve`` view for a route known in advance: its hooks, then the page."""
        page, args, kwargs = route
        request._wagtail_route_for_request = route
        page._request = request  # as routing leaves it (see PortalPage.route)
        chain = serve_chain
        for wrap in reversed(hooks.get_hooks("on_serve_page")):
            if wrap is not check_view_restrictions or self.restricted:
                chain = wrap(chain)
        for before in hooks.get_hooks("before_serve_page"):
            result = before(page, request, args, kwargs)
            if isinstance(result, HttpResponseBase):
                return result
        return chain(page, request, args, kwargs)

    def children(self) -> dict[str, Page]:
        """The portal's home page's children (its sections), specific, by tree path, each
        with its parent known as Wagtail's routing leaves it (no query to ask for it)."""
        if self._children is None:
            home = self.site.root_page.specific
            self._children = {}
            for child in home.get_children().specific():
                child._cached_parent_obj = home
                self._children[child.path] = child
        return self._children

    def with_parent(self, page: Page) -> Page:
        """``page`` with its section as its parent, as routing to it leaves it: what asks a
        page for its section (its feed, its matches) asks the database nothing."""
        parent = self.children().get(page.path[: -page.steplen])
        if parent is not None:
            page._cached_parent_obj = parent
        return page

    def section_route(self, target: Target) -> tuple:
        """What Wagtail's routing would find for a page of a section's listing."""
        section = next(c for c in self.children().values() if c.pk == target.page_id)
        base = section.get_url_parts()[2]
        match = section.resolve_subpage("/" + target.path[len(base) :])
        return (section, (match.func, match.args, match.kwargs), {})

    def rewrite(self, body: bytes) -> tuple[bytes, list[str]]:
        """The body with the portal's live address made the static one, and the internal
        links it carries (paths). Links to the live site's dynamic features are left out."""
        if self.base_url != self.live_address:
            body = body.replace(self.live_address, self.base_url)
        links = internal_links(body, self.base_url)
        return body.replace(LIVE_PREFIX.encode(), self.live_url), links

    def render_to(self, targets: list[Target], folder: Path) -> list[Rendered]:
        """Render ``targets`` into ``folder``; a target answering another status than
        expected is reported, not written."""
        self.shared_version = current_version()
        pages = load_pages([t.page_id for t in targets if t.detail and t.page_id])
        return [self.render_one(target, pages, folder) for target in targets]

    def render_one(self, target: Target, pages: dict[int, Page], folder: Path) -> Rendered:
        status, body = self.respond(target, pages.get(target.page_id) if target.detail else None)
        if status != target.status:
            return Rendered(target.path, status, error="".join(_last_error))
        links: list[str] = []
        if target.file.endswith(TEXT_SUFFIXES):
            body, links = self.rewrite(body)
        write_file(folder / target.file, body)
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return Rendered(target.path, status, digest, links)


def internal_links(body: bytes, base_url: bytes) -> list[str]:
    """Paths of the links and assets in ``body`` that stay on the static site."""
    found = set(LINK.findall(body)) | set(XML_LINK.findall(body))
    for srcset in SRCSET.findall(body):
        found.update(part.strip().split(b" ")[0] for part in srcset.split(b","))
    paths = set()
    for link in found:
        if link.startswith(base_url + b"/"):
            link = link[len(base_url) :]
        elif not link.startswith(b"/") or link.startswith(b"//"):
            continue
        path = link.split(b"?", 1)[0].decode("utf-8", "replace")
        if path:
            paths.add(path)
    return sorted(paths)


def write_file(path: Path, body: bytes) -> None:
    """Write a new file (never through a hard link shared with the previous build)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(body)
