"""Rate limits on public views, per client address and per account, and what a limited
visitor is told."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_ratelimit.decorators import ratelimit

from .origins import wants_json

RETRY_AFTER = "3600"
TOO_MANY = "You have sent more than this portal accepts in a short time; please try again later."


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits.

    Behind ``TRUSTED_PROXIES`` reverse proxies, the address the outermost of them saw: the
    N-th entry from the right of X-Forwarded-For (entries further left are whatever the client
    sent, so they cannot be trusted). Without proxies, or when the header is missing or short,
    the connection's own address.
    """
    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-proxies] if len(hops) >= proxies else remote


def _ip_rate(name: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: settings.RATE_LIMITS[name]


def _account_rate(name: str) -> Callable[[str, HttpRequest], str | None]:
    return lambda group, request: (
        settings.RATE_LIMITS[name] if request.user.is_authenticated else None
    )


def rate_limited(name: str, method: str = "POST") -> Callable:
    """Limit requests (POSTs by default) to a view per client IP and, for members, per account.

    Rates come from ``settings.RATE_LIMITS[name]``; a limited request is answered by
    ``settings.RATELIMIT_VIEW`` (a themed 429 page).
    """

    def decorate(view: Callable) -> Callable:
        view = ratelimit(
            group=f"{name}:account", key="user", rate=_account_rate(name), method=method
        )(view)
        return ratelimit(group=f"{name}:ip", key="ip", rate=_ip_rate(name), method=method)(view)

    return decorate


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """What a rate-limited visitor sees (``RATELIMIT_VIEW``): a themed page that says when to
    come back, or JSON for a script that asked for it."""
    if wants_json(request):
        response = JsonResponse({"ok": False, "message": TOO_MANY}, status=429)
    else:
        response = HttpResponse(render_to_string("errors/429.html", request=request), status=429)
    response["Retry-After"] = RETRY_AFTER
    return response
