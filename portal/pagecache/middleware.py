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
        ticket = None
        if keeping:
            kept, ticket = store.get(request, cache_query(request))
            if kept is not None:
                response = kept.response()
                response["X-Cache"] = "HIT"
                return self.outgoing(request, response)
        response = self.get_response(request)
        seconds = mark(request, response)
        if ticket is not None and seconds and response.status_code != 304:
            store.put(ticket, response, seconds)
            response["X-Cache"] = "MISS"
        return self.outgoing(request, response) if keeping else response

    @staticmethod
    def outgoing(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """What leaves the app's own cache: conditional answers, no lifetime for others."""
        if response.has_header("Surrogate-Control"):
            del response["Surrogate-Control"]
        if response.status_code != 200:
            return response
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=modified, response=response
        )
