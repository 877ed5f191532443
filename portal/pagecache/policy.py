"""Which requests may get a page shared with everyone, and for how long a cache keeps it.

A request is shared when it reads (GET or HEAD) and carries no session and no messages: the
visitor is anonymous, so the page is the one everybody gets. Such requests are rendered
without anything personal (forms fetch their tokens by script; see ``live-forms.js``). A
response is shared when it is a portal page or one of the views in ``PAGE_CACHE_VIEWS``,
answered 200 (or 404/410, for a shorter time), and sets no cookie. ``Surrogate-Control:
max-age=N`` tells the page cache (Varnish, which removes the header, or the app's own) to keep
it until it is purged, at most ``PAGE_CACHE_SECONDS`` (search results a minute: the search
engine learns of changes a moment after they are made). Everyone else gets ``Cache-Control:
public, max-age=0``: browsers and caches no purge reaches revalidate every time (``ETag`` and
``Last-Modified``, answered 304 while the page is unchanged).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from portal import rendering

SHARED_STATUSES = {200, 404, 410}
MISSING_SECONDS = 300  # a 404 or 410: a page may appear there (and is purged when it does)
SEARCH_SECONDS = 60
# Only the search page keeps its query in the cache key; elsewhere a query string is not
# shared (the VCL drops it before asking the app).
QUERY_PATHS = ("/search/",)


def shared_request(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.PAGE_CACHE != "off"
        and not rendering.is_static(request)  # the static export renders its own copies
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "Authorization" not in request.headers
        and (not request.GET or request.path.startswith(QUERY_PATHS))
    )


def cache_query(request: HttpRequest) -> str:
    """The query string a shared page is kept under: the search's, as the app reads it."""
    if not request.path.startswith(QUERY_PATHS):
        return ""
    return request.META.get("QUERY_STRING", "")


def shares_view(request: HttpRequest) -> bool:
    if getattr(request, "serves_page", False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in settings.PAGE_CACHE_VIEWS


def shared_seconds(request: HttpRequest, response: HttpResponseBase) -> int:
    """How long a shared cache may keep ``response``; 0 when it must not be shared."""
    if (
        not getattr(request, "shared_page", False)
        or response.status_code not in SHARED_STATUSES
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
        or not shares_view(request)
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return 0
    if response.status_code != 200:
        return MISSING_SECONDS
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name.startswith("search:"):
        return min(SEARCH_SECONDS, settings.PAGE_CACHE_SECONDS)
    return settings.PAGE_CACHE_SECONDS


def mark(request: HttpRequest, response: HttpResponseBase) -> int:
    """Set the response's ``Cache-Control``; returns the seconds a shared cache may keep it."""
    seconds = shared_seconds(request, response)
    if seconds:
        patch_cache_control(response, public=True, max_age=0)
        response["Surrogate-Control"] = f"max-age={seconds}"
        if not response.has_header("Last-Modified"):
            # When it was rendered: caches keep it only until what it shows changes (then it
            # is purged), so "not modified since" holds for as long as they keep it.
            response["Last-Modified"] = http_date()
    elif shares_view(request) and not response.has_header("Cache-Control"):
        # A page for one visitor (signed in, with a message): never kept by shared caches.
        patch_cache_control(response, private=True, no_cache=True)
    return seconds
