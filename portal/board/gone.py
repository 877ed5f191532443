"""410 Gone for listings that expired, were closed or withdrawn, with live alternatives."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from wagtail.models import Page

from portal.core.context import portal_site

from .models import TradeListingPage


def gone_response(request: HttpRequest, listing: TradeListingPage) -> HttpResponse:
    context = {
        "listing": listing,
        "reason": listing.gone_reason(),
        "similar": listing.similar(),
        "board": listing.get_parent(),
    }
    # The themed dispatcher adds the portal, its root and its theme.
    response = HttpResponse(render_to_string("board/gone.html", context, request), status=410)
    response["X-Robots-Tag"] = "noindex"
    return response


def find_gone_listing(request: HttpRequest) -> TradeListingPage | None:
    """The listing at this URL that expired or was closed, if there is one.

    A listing the moderators took down (neither expired nor closed) stays a plain 404.
    """
    site = portal_site(request)
    if site is None or "\x00" in request.path:  # no page's URL has a NUL; PostgreSQL refuses it
        return None
    path = request.path if request.path.endswith("/") else request.path + "/"
    url_path = site.root_page.url_path.rstrip("/") + path
    page = Page.objects.filter(url_path=url_path, live=False).first()
    if page is None:
        return None
    page = page.specific
    if isinstance(page, TradeListingPage) and (page.expired or page.closed_on):
        return page if page.first_published_at else None
    return None


class GoneListingMiddleware:
    """Turn the 404 of an unpublished listing's URL into a 410 page with alternatives."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            listing = find_gone_listing(request)
            if listing is not None:
                return gone_response(request, listing)
        return response
