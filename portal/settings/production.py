"""Production: everything secret or host-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

# Example values from docs and compose files, which must never sign real sessions.
PLACEHOLDER_KEYS = {"change-me", "change-me-in-production", "changeme", "secret", "build"}
MIN_KEY_LENGTH = 50
NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(f"SECRET_KEY must be set in the environment: {NEW_KEY}")
if (
    SECRET_KEY.lower() in PLACEHOLDER_KEYS  # noqa: F405
    or SECRET_KEY.startswith("django-insecure")  # noqa: F405
    or len(SECRET_KEY) < MIN_KEY_LENGTH  # noqa: F405
    or len(set(SECRET_KEY)) < 5  # noqa: F405
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is a placeholder or too short (at least {MIN_KEY_LENGTH} random "
        f"characters); make one with {NEW_KEY}"
    )
if "WAGTAILADMIN_BASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be the admin's public URL (e.g. https://portals.example.org):"
        " moderation emails link to it."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portals' hostnames (comma-separated).")
if "*" in ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the portals' hostnames, not '*': any Host header would be "
        "believed, and emailed links (password resets) could point at another site."
    )

# The scheme a reverse proxy reports is believed only when there is one (TRUSTED_PROXIES).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES > 0 else None  # noqa: F405
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Only a plain-HTTP trial (docker-compose on localhost) turns these off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Browsers keep to HTTPS for a year (set SECURE_HSTS_SECONDS=0 for a plain-HTTP trial).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to preload HTTPS for the domain is its owner's decision, hard to undo: off
# unless SECURE_HSTS_PRELOAD says so, and then `check --deploy` does not warn about it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
