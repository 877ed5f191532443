"""How a page knows it is being rendered for the static export, and links back to the live site.

The exporter marks its requests; templates then point dynamic features (forms that post,
sign-in, the member area) at the live site through ``live_url``. Those links carry a
placeholder prefix that the exporter swaps for the live site's address after rendering, so
they survive the rewrite of the portal's own address to the static one.
"""

from django.http import HttpRequest

STATIC_EXPORT_ATTR = "static_export"
LIVE_PREFIX = "guildhall-live:"


def is_static(request: HttpRequest | None) -> bool:
    return bool(request is not None and getattr(request, STATIC_EXPORT_ATTR, False))


def live_url(request: HttpRequest | None, path: str) -> str:
    """``path`` on the live site: as is when serving live, marked for rewriting when exporting."""
    return f"{LIVE_PREFIX}{path}" if is_static(request) else path
