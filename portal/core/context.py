"""Which portal serves a request: looked up once per request, in one place.

Every view, page and template that needs "this portal" asks :func:`portal_for_request`. The
themes reach it through two settings (see ``portal/settings/base.py``): the context processor
:func:`template_context`, which gives every public template ``portal``, and
:func:`theme_for_request`, with which the themed dispatcher picks a theme.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from wagtail.models import Page, Site

from themes.registry import BASE_THEME

from .models import PortalHomePage, PortalSettings
from .models.pages import ancestor_paths
from .models.shared import portal_settings_for, shared, site_for_request

CACHE_ATTR = "_guildhall_portal"


@dataclass(frozen=True)
class Portal:
    """One site of the install as templates and views see it: a vertical's portal, or the
    hub that lists them (``is_portal`` tells which)."""

    site: Site
    settings: PortalSettings
    request: HttpRequest | None = field(default=None, compare=False, repr=False)

    @property
    def home(self) -> Page:
        """The site's root page: the portal's home page, or the hub."""
        return self.site.root_page

    def _sections(self) -> tuple[Page, ...]:
        """The home page's children, as plain pages: kept per process (``shared``)."""
        home = self.home
        return shared(self.request, ("home-pages", home.pk), lambda: tuple(home.get_children()))

    def has_section(self, model: str) -> bool:
        """Whether a live section whose index is ``model`` ("app_label.ModelName") is under
        the home page."""
        app_label, name = model.lower().split(".")
        for page in self._sections():
            kind = ContentType.objects.get_for_id(page.content_type_id)
            if page.live and (kind.app_label, kind.model) == (app_label, name):
                return True
        return False

    @property
    def menu(self) -> list[Page]:
        """The sections shown in the portal's menu (live, "show in menus"), in tree order."""
        return [page for page in self._sections() if page.live and page.show_in_menus]

    def breadcrumbs(self, page: Page) -> list[Page]:
        """``page``'s ancestors from the home page down (its parent last); the home page and
        the sections come without a query."""
        home = self.home
        paths = ancestor_paths(page.path, page.steplen)[len(home.path) // page.steplen - 1 : -1]
        known = {home.path: home, **{section.path: section for section in self._sections()}}
        missing = [path for path in paths if path not in known]
        if missing:
            known |= {p.path: p for p in Page.objects.filter(path__in=missing)}
        return [known[path] for path in paths if path in known]

    @property
    def is_portal(self) -> bool:
        return issubclass(self.home.specific_class or Page, PortalHomePage)

    @property
    def name(self) -> str:
        return self.home.title

    @property
    def url(self) -> str:
        return self.home.url or "/"

    @property
    def theme(self) -> str:
        return self.settings.theme or BASE_THEME


def portal_for_request(request: HttpRequest | None) -> Portal | None:
    """The site serving ``request`` with its settings, or None for a host with no site."""
    if request is None:
        return None
    cached = getattr(request, CACHE_ATTR, False)
    if cached is not False:
        return cached
    site = site_for_request(request)
    portal = Portal(site, portal_settings_for(request, site), request) if site is not None else None
    setattr(request, CACHE_ATTR, portal)
    return portal


def portal_site(request: HttpRequest) -> Site | None:
    """The site of the portal (not the hub) serving ``request``."""
    portal = portal_for_request(request)
    return portal.site if portal is not None and portal.is_portal else None


def template_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor of the themes' engines: ``portal`` in every public template."""
    return {"portal": portal_for_request(request)}


def theme_for_request(request: HttpRequest | None) -> str:
    portal = portal_for_request(request)
    return portal.theme if portal is not None else BASE_THEME
