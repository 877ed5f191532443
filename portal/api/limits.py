"""Rate limits of the API: every request per client address and per token (the
``api`` rate), and writes as the board's forms (the ``listing`` rate), per address and per
member. Rates come from ``settings.RATE_LIMITS``; a limited client gets a 429 with
``Retry-After``."""

import threading

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from portal.defences.limits import client_ip

from .tokens import bearer, digest


def _wait(
    request: HttpRequest, rate_name: str, keys: list[tuple[str, str]], method: object
) -> int | None:
    """Count the request under each ``(group, value)``; the seconds to wait when it is over
    ``RATE_LIMITS[rate_name]`` under any of them, else None."""
    waits = []
    for group, value in keys:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request, value=value: value,
            rate=settings.RATE_LIMITS[rate_name],
            method=method,
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            waits.append(max(int(usage["time_left"]), 1))
    return max(waits) if waits else None


def wait_for(request: HttpRequest, rate_name: str, member: str = "") -> int | None:
    """Seconds the client must wait, counting this request per address and per ``member``
    (a token's digest), or None when it is within the rate."""
    keys = [(f"api:{rate_name}:ip", client_ip(request))]
    if member:
        keys.append((f"api:{rate_name}:member", member))
    return _wait(request, rate_name, keys, get_usage.ALL)


class ApiThrottle(BaseThrottle):
    """Every API request, per client address and per bearer token."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = bearer(request)
        self._local.wait = wait_for(request, "api", digest(token) if token else "")
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


def check_writes(request: HttpRequest, user_id: int) -> None:
    """Writes count as the posting form's submissions, under the same counters as the form
    (``rate_limited("listing")``: per address and per account, by method): a member who
    posts with the form and with a token has one allowance."""
    keys = [("listing:ip", client_ip(request)), ("listing:account", str(user_id))]
    wait = _wait(request, "listing", keys, request.method)
    if wait is not None:
        raise Throttled(wait=wait)
