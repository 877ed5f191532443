"""Site-wide error pages, in the request's theme: 404, 500, and 503 while the database is away."""

import sys

from django.db import InterfaceError, OperationalError
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


# The database cannot be reached (restarting, failing over): not the request's fault, and a
# later one will work, since connections are checked before each request and reopened.
BARE_503 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Back in a moment'
    "</title></head><body><h1>Back in a moment</h1><p>The site is briefly unavailable. Please "
    "try again in a moment; a form you were sending needs sending again.</p></body></html>"
)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(BARE_503, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    try:
        body = render_to_string("errors/500.html", request=request)
    except Exception:  # the themed page reads the portal from the database
        body = BARE_500
    return HttpResponseServerError(body)
