"""Local development: DEBUG on, *.localhost hosts, console email."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
POST_OFFICE["BACKENDS"]["default"] = os.environ.get(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# `make demo` serves the static copies on :8001 (`manage.py serve_static`); their inquiry
# forms post here.
STATIC_BASE_URL = os.environ.get("STATIC_BASE_URL", "http://{hostname}:8001")
STATIC_SITE_ORIGINS = env_list("STATIC_SITE_ORIGINS", "http://*.localhost:8001")
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
