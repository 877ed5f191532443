"""Rate limits on public views, per client address and per account."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit


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
