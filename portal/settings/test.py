"""Test settings: fast hashing, in-memory email, SQLite unless DATABASE_URL says otherwise."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = tempfile.mkdtemp(prefix="guildhall-test-media-")
WHITENOISE_AUTOREFRESH = True
FORM_MIN_FILL_SECONDS = 0
RATELIMIT_ENABLE = True
