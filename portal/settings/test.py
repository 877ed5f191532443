"""Test settings: fast hashing, in-memory email, SQLite unless DATABASE_URL says otherwise."""

import atexit
import os
import shutil
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
# Uploads of one test run, removed when the run ends; a benchmark that serves its database
# from a second process names a folder to keep in TEST_MEDIA_ROOT.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "")
if not MEDIA_ROOT:
    MEDIA_ROOT = tempfile.mkdtemp(prefix="guildhall-test-media-")
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
WHITENOISE_AUTOREFRESH = True
FORM_MIN_FILL_SECONDS = 0
# Tests change rows behind the app's back; the page cache's own tests turn it on.
PAGE_CACHE = "off"
WAGTAILFRONTENDCACHE = None
CACHES["shared"] = {  # noqa: F405 (one process: nothing to share with)
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "shared",
}
RATELIMIT_ENABLE = True
# A small extra section type that only exists for the tests (see tests/notices).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.notices"]  # noqa: F405
