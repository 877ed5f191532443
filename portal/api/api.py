"""The public API of each portal, version 1: ``/api/v1/``.

Answers are JSON, errors too (``{"detail": ..., "parameter": ...}``); every request is rate
limited; reads carry cache headers and ETags (``caching.py``)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from portal.defences.limits import TOO_MANY

from . import caching
from .errors import BadParameter
from .limits import ApiThrottle
from .reads import read_router
from .writes import write_router

DESCRIPTION = (
    "Public content of this portal: listings (sell offers and buy requests), companies, news, "
    "events, franchises, investment opportunities and price series. Members post and manage "
    "their own listings with a token from their member area (`Authorization: Bearer ...`)."
)


class PortalApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return caching.finish(request, response)


def _parameter(location: tuple | list) -> str | None:
    names = [part for part in location[1:] if isinstance(part, str) and part != "body"]
    return names[-1] if names else None


def build() -> PortalApi:
    api = PortalApi(
        title="Guildhall portal API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        docs_url=None,  # the docs page is rendered by the server (docs.py)
        openapi_url="/openapi.json",
        throttle=[ApiThrottle()],
    )

    def problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(BadParameter)
    def bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
        errors = getattr(exc, "errors", None)
        return problem(request, 400, str(exc), parameter=exc.parameter, errors=errors)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        location = first.get("loc", ())
        if location and location[0] == "path":
            return problem(request, 404, "Not found.")
        name = _parameter(location)
        message = first.get("msg", "Invalid value.")
        return problem(request, 400, f"{name}: {message}" if name else message, parameter=name)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, 404, str(exc) or "Not found.")

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = problem(request, 429, TOO_MANY)
        response["Retry-After"] = str(int(exc.wait or 60))
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(request, 401, "A valid member token is needed (Bearer).")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, exc.status_code, str(exc))

    api.add_router("/", read_router())
    api.add_router("/", write_router())
    return api


api = build()


def unknown_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address below ``/api/v1/``: a JSON 404, as the API's own."""
    return api.create_response(request, {"detail": "No such endpoint."}, status=404)
