"""The counters of sponsored items: an impression image per slot shown, and a click that
goes on to the item's own page. Never a cookie, never kept by a cache, limited per address,
bots not counted; a bad id is a 404."""

import base64
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from portal.core.context import portal_site

from .counting import count, is_bot
from .models import HouseAd, Sponsorship
from .slots import today
from .tokens import unsign

# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
RATE = "sponsored"


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answers no cache may keep and that set no cookie."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response.cookies.clear()
        return response

    return wrapped


def item_of(request: HttpRequest, token: str) -> Sponsorship | HouseAd:
    """The item a signed id names, of the portal serving the request; 404 otherwise."""
    found = unsign(token)
    site = portal_site(request)
    if found is None or site is None:
        raise Http404("No such item.")
    kind, pk = found
    model = Sponsorship if kind == "s" else HouseAd
    item = model.objects.filter(pk=pk, site=site).first()
    if item is None:
        raise Http404("No such item.")
    return item


def counts(request: HttpRequest) -> bool:
    """Whether this request is counted: a person's browser within the address's limit."""
    if is_bot(request):
        return False
    limited = is_ratelimited(
        request, group="sponsored:ip", key="ip", rate=settings.RATE_LIMITS[RATE], increment=True
    )
    return not limited


def target_of(item: Sponsorship | HouseAd, request: HttpRequest) -> str:
    """Where a click goes: the featured page, or the house ad's own link."""
    if isinstance(item, Sponsorship):
        url = item.featured.get_url(request)
    else:
        url = item.link_page.get_url(request) if item.link_page else item.link_url
    if not url:
        raise Http404("No such item.")
    return url


@private
@require_http_methods(["GET", "HEAD"])
def seen(request: HttpRequest, token: str) -> HttpResponse:
    item = item_of(request, token)
    if request.method == "GET" and counts(request):
        count(item, "impressions", today())
    return HttpResponse(PIXEL, content_type="image/gif")


@private
@csrf_exempt  # no session is read or written: a ping carries nothing to forge
@require_http_methods(["GET", "POST"])
def go(request: HttpRequest, token: str) -> HttpResponse:
    """A click: counted, then on to the item's own URL (GET), or just counted (a link's
    ``ping`` from a static copy, POST: 204)."""
    item = item_of(request, token)
    if counts(request):
        count(item, "clicks", today())
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponseRedirect(target_of(item, request))
