"""Site-wide error pages, in the request's theme: 404 and 500."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template.loader import render_to_string

# When even the themed page cannot be made (the database is down): a plain one.
BARE_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong'
    "</title></head><body><h1>Something went wrong</h1><p>Nothing you sent was lost. Please "
    "try again in a moment.</p></body></html>"
)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(render_to_string("errors/404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = render_to_string("errors/500.html", request=request)
    except Exception:  # the themed page reads the portal from the database
        body = BARE_500
    return HttpResponseServerError(body)
