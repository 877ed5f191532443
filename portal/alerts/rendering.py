"""Alerts' pages in the portal's theme (they are not Wagtail pages, nor shared by caches)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from portal.core.context import theme_for_request
from themes.registry import theme_template


def render_page(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``alerts/<name>`` rendered in the request's theme, for this visitor only."""
    html = theme_template(theme_for_request(request), f"alerts/{name}").render(
        {"page": None, **context}, request
    )
    response = HttpResponse(html, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response
