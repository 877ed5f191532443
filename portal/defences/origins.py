"""Posts that come from a portal's static copy, on another origin than the live site.

Static pages carry no CSRF token and no session, so the live endpoints they post to accept
requests from the origins in ``STATIC_SITE_ORIGINS`` (shell-style patterns allowed) without
one, and treat them as anonymous; so is a post without a token from one of the site's own
pages that caches share (sent without script). Every other request is CSRF-checked.
"""

import fnmatch
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt


def origin_patterns() -> list[str]:
    """The allowed origins as regular expressions (for CORS and for the check below)."""
    return [fnmatch.translate(origin.rstrip("/")) for origin in settings.STATIC_SITE_ORIGINS]


def from_static_site(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin", "")
    return bool(origin) and any(re.match(p, origin) for p in origin_patterns())


def cors_allowed(sender: object, request: HttpRequest, **kwargs: object) -> bool:
    """django-cors-headers asks this for every request: yes for a static copy's origin on one
    of the endpoints static pages use (``CORS_URLS_REGEX``), no otherwise."""
    return bool(re.match(settings.CORS_URLS_REGEX, request.path_info)) and from_static_site(request)


def from_shared_page(request: HttpRequest) -> bool:
    """A browser posting, without script, a form of a page built for everyone (a cached
    page carries no CSRF token): same origin as the site, and no token."""
    origin = request.headers.get("Origin", "")
    return (
        bool(origin)
        and origin == f"{request.scheme}://{request.get_host()}"
        and not request.POST.get("csrfmiddlewaretoken")
    )


def accepts_static_sites(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the static copies of the portals, and cached pages without script, post to
    ``view`` as anonymous visitors (with no session, there is nothing to forge); CSRF-check
    everyone else."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if from_static_site(request) or from_shared_page(request):
            request.user = AnonymousUser()
        else:
            refusal = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
                request, None, (), {}
            )
            if refusal is not None:
                return refusal
        return view(request, *args, **kwargs)

    return wrapped


def wants_json(request: HttpRequest) -> bool:
    """A script on a static page asked (it shows the outcome in place)."""
    return "application/json" in request.headers.get("Accept", "")
