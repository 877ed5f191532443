"""The site of a request, found once and early: Wagtail's page view asks ``Site.
find_for_request`` before anything of the portal's runs, and that costs a query unless the
request already knows its site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models.shared import site_for_request


class PortalSiteMiddleware:
    """Sets the request's Wagtail site from the sites this process knows (``shared``), so that
    Wagtail's view, the portal's lookups and the settings all reuse it without a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site_for_request(request)
        return self.get_response(request)
