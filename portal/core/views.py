"""Site-wide error views: the themed 404 and 429."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(render_to_string("errors/404.html", request=request))


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """What a rate-limited visitor sees: a themed page that says when to come back."""
    response = HttpResponse(render_to_string("errors/429.html", request=request), status=429)
    response["Retry-After"] = "3600"
    return response
