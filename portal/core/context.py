"""Which portal serves a request: looked up once per request, in one place.

Every view, page and template that needs "this portal" asks :func:`portal_for_request`. The
themes reach it through two settings (see ``portal/settings/base.py``): the context processor
:func:`template_context`, which gives every public template ``portal``, and
:func:`theme_for_request`, with which the themed dispatcher picks a theme.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from wagtail.models import Page, Site

from themes.registry import BASE_THEME

from .models import PortalHomePage, PortalSettings

CACHE_ATTR = "_guildhall_portal"


@dataclass(frozen=True)
class Portal:
    """One site of the install as templates and views see it: a vertical's portal, or the
    hub that lists them (``is_portal`` tells which)."""

    site: Site
    settings: PortalSettings

    @property
    def home(self) -> Page:
        """The site's root page: the portal's home page, or the hub."""
        return self.site.root_page

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
    site = Site.find_for_request(request)
    portal = Portal(site, PortalSettings.for_request(request)) if site is not None else None
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
