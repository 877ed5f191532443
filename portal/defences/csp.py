"""The Content-Security-Policy of every response (django-csp).

Public pages run no inline script at all and admit one inline style, the portal's palette,
by nonce. Wagtail's admin still writes inline scripts and styles in some panels and widgets,
so its pages get the same policy with inline code allowed there, and only there.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_RELAXED = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_URL_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxed script and style sources."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path_info):
            # A nonce in a directive makes browsers ignore 'unsafe-inline' beside it.
            parts.replace = {**ADMIN_RELAXED, **(parts.replace or {})}
            parts.nonce = None
        return parts
