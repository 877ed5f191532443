"""Password forms that are not the members' sign-in (whose limits are django-allauth's): the
admin's sign-in and password reset, and Wagtail's forms for restricted pages and documents.
Their POSTs are limited per client address and, separately, per username, so that neither
one address trying many accounts nor many addresses trying one account get far."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_ratelimit.core import is_ratelimited

from .limits import too_many_requests

PASSWORD_FORMS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_password_reset",
        "wagtailcore_login",
        "wagtailcore_authenticate_with_password",
    }
)


def is_password_form(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).url_name in PASSWORD_FORMS
    except Resolver404:
        return False


def throttled(request: HttpRequest) -> bool:
    """Count this attempt; True once the address or the username is over the limit."""
    rate = settings.RATE_LIMITS["password"]
    keys = ["ip"]
    if request.POST.get("username") or request.POST.get("email"):
        keys.append("post:username" if request.POST.get("username") else "post:email")
    over = [
        is_ratelimited(request, group=f"password:{key}", key=key, rate=rate, increment=True)
        for key in keys
    ]
    return any(over)


class PasswordFormThrottle:
    """Middleware: a POST to one of the ``PASSWORD_FORMS`` over the limit answers 429."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and is_password_form(request) and throttled(request):
            return too_many_requests(request)
        return self.get_response(request)
