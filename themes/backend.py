"""A template backend that renders each request in its portal's theme.

Views that are not Wagtail pages (sign-in, the member dashboard, public forms) ask for a template
by name, as any Django view does. This backend answers for names under its ``prefixes`` that the
``base`` theme provides, and renders them with the Jinja2 engine of the requesting portal's theme,
so third-party views (django-allauth's) are themed without being rewritten.
"""

from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.base import BaseEngine
from wagtail.models import Site

from .registry import BASE_THEME, get_engine, get_template


def portal_context(request: HttpRequest | None) -> dict[str, Any]:
    """``theme``, ``portal`` (settings) and ``portal_root`` of the portal serving ``request``."""
    from portal.core.models import PortalSettings

    site = Site.find_for_request(request) if request is not None else None
    settings = PortalSettings.for_request(request) if site is not None else None
    return {
        "theme": settings.theme if settings else BASE_THEME,
        "portal": settings,
        "portal_root": site.root_page.specific if site else None,
        "site": site,
    }


class ThemedTemplate:
    def __init__(self, name: str, backend: "ThemedTemplates") -> None:
        self.name = self.template_name = name
        self.backend = backend

    def render(self, context: dict | None = None, request: HttpRequest | None = None) -> str:
        portal = portal_context(request)
        context = {
            "page": None,
            **{k: portal[k] for k in ("portal", "portal_root")},
            **(context or {}),
        }
        return get_template(portal["theme"], self.name).render(context, request)


class ThemedTemplates(BaseEngine):
    app_dirname = "themed"

    def __init__(self, params: dict) -> None:
        params = params.copy()
        options = params.pop("OPTIONS", {})
        self.prefixes = tuple(options.get("prefixes", ()))
        super().__init__(params)

    def from_string(self, template_code: str):
        raise TemplateDoesNotExist("The themed backend renders named templates only.")

    def get_template(self, template_name: str) -> ThemedTemplate:
        if not template_name.startswith(self.prefixes):
            raise TemplateDoesNotExist(template_name, backend=self)
        get_engine(BASE_THEME).get_template(template_name)  # raises when no theme has it
        return ThemedTemplate(template_name, self)
