"""Shared pages: marked for HTTP caches, and kept in the embedded page cache without Varnish."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from . import store
from .policy import cache_query, mark, shared_request


class SharedPageMiddleware:
    """Outside the session, CSRF and auth middleware, so that it sees every cookie a response
    sets, and outside ``ConditionalGetMiddleware``, so that kept pages carry their ETag."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.shared_page = shared_request(request)
        keeping = request.shared_page and store.enabled()
        query = cache_query(request) if keeping else ""
        if keeping and (kept := store.get(request, query)) is not None:
            response = kept.response()
            response["X-Cache"] = "HIT"
            modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=modified, response=response
            )
        response = self.get_response(request)
        seconds = mark(request, response)
        if keeping and seconds and response.status_code != 304:
            store.put(request, query, response, seconds)
            response["X-Cache"] = "MISS"
        return response
