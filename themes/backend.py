"""A template backend that renders each request in its theme.

Views that are not Wagtail pages (sign-in, the member dashboard, public forms) ask for a template
by name, as any Django view does. This backend answers for names under its ``prefixes`` that the
``base`` theme provides, and renders them with the Jinja2 engine of the request's theme, so
third-party views (django-allauth's) are themed without being rewritten. Which theme a request
has is the host project's business: ``OPTIONS["theme_for_request"]`` names a function of the
request that returns a theme name.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.base import BaseEngine
from django.utils.module_loading import import_string

from .registry import BASE_THEME, theme_engine, theme_template


class ThemedTemplate:
    def __init__(self, name: str, backend: "ThemedTemplates") -> None:
        self.name = self.template_name = name
        self.backend = backend

    def render(self, context: dict | None = None, request: HttpRequest | None = None) -> str:
        theme = self.backend.theme_for_request(request)
        context = {"page": None, **(context or {})}
        return theme_template(theme, self.name).render(context, request)


class ThemedTemplates(BaseEngine):
    app_dirname = "themed"

    def __init__(self, params: dict) -> None:
        params = params.copy()
        options = params.pop("OPTIONS", {})
        self.prefixes = tuple(options.get("prefixes", ()))
        chooser = options.get("theme_for_request")
        self.theme_for_request: Callable[[HttpRequest | None], str] = (
            import_string(chooser) if chooser else (lambda request: BASE_THEME)
        )
        super().__init__(params)

    def from_string(self, template_code: str):
        raise TemplateDoesNotExist("The themed backend renders named templates only.")

    def get_template(self, template_name: str) -> ThemedTemplate:
        if not template_name.startswith(self.prefixes):
            raise TemplateDoesNotExist(template_name, backend=self)
        theme_engine(BASE_THEME).get_template(template_name)  # raises when no theme has it
        return ThemedTemplate(template_name, self)
