"""Settings shared by every environment; values that differ come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from themes.registry import discover_themes, dispatcher_engine, template_engines

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.core",
    "portal.news",
    "portal.board",
    "portal.prices",
    "portal.opportunities",
    "portal.directory",
    "portal.events",
    "portal.syndication",
    "portal.members",
    "portal.alerts",
    "portal.api",
    "portal.transfers",
    "portal.verification",
    "portal.plans",
    "portal.sponsored",
    "portal.catalogue",
    "portal.leads",
    "portal.defences",
    "portal.export",
    "portal.pagecache",
    "portal.backup",
    "portal.demo",
    "industries",
    "themes",
    "search",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "corsheaders",
    "post_office",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages: marked for HTTP caches, kept here without Varnish (see PAGE_CACHE).
    "portal.pagecache.middleware.SharedPageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # The admin's and Wagtail's password forms, per address and per username.
    "portal.defences.logins.PasswordFormThrottle",
    "portal.defences.csp.ContentSecurityPolicyMiddleware",
    # The request's site, from what this process knows: no query in Wagtail's page view.
    "portal.core.middleware.PortalSiteMiddleware",
    # Outside the redirects: an editor's redirect for an old listing URL wins over its 410.
    "portal.board.gone.GoneListingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy (django-csp): no inline script on public pages; the one inline style
# (the portal's palette) carries a nonce. See portal/defences/csp.py for the admin's.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_ADMIN_URL_PREFIXES = ["/admin/"]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

THEMES_DIR = BASE_DIR / "themes"
THEMES = discover_themes(THEMES_DIR)

# The admin, the userbar and rich text render through Django templates; public pages render
# through one Jinja2 environment per theme (see themes/registry.py); other public views (sign-in,
# dashboard, forms) reach their portal's theme through the dispatcher that comes first.
TEMPLATES = [
    dispatcher_engine(theme_for_request="portal.core.context.theme_for_request"),
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    *template_engines(
        THEMES_DIR, THEMES, context_processors=["portal.core.context.template_context"]
    ),
]
# Form widgets rendered once per process and reused (the same inquiry form on every listing).
FORM_RENDERER = "portal.core.form_renderer.KeptWidgetsRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request: after a database restart the
        # next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Reads through a memory map of the file (shared by every process through the
        # operating system's cache) instead of copying pages into a 2 MB cache per
        # connection: a search reading thousands of documents' rows at random took twice
        # as long at 100,000 listings.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [
    (f"themes/{name}", THEMES_DIR / name / "static")
    for name in THEMES
    if (THEMES_DIR / name / "static").is_dir()
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Guildhall"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# A damaged upload is a form error, not a server error.
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.core.images.ImageForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from a third-party host (the Content-Security-Policy admits none).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Where industry definitions live; `launch_portal <slug>` reads <INDUSTRIES_DIR>/<slug>.yaml.
INDUSTRIES_DIR = Path(os.environ.get("INDUSTRIES_DIR", BASE_DIR / "industries"))

# Public search: the database engine by default; an Elasticsearch 8 or OpenSearch 2 URL
# (http://127.0.0.1:9200) switches to that engine. Indices are named <prefix>-<portal>.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "guildhall")

# Static export (`manage.py build_static`): where builds go, where they are served
# ("https://{hostname}" is filled in per portal; empty: the portal's own address), and the
# live site their forms post to and their sign-in links lead to (empty: the portal's address).
STATIC_EXPORT_DIR = Path(os.environ.get("STATIC_EXPORT_DIR", BASE_DIR / "dist"))
STATIC_BASE_URL = os.environ.get("STATIC_BASE_URL", "")
STATIC_LIVE_URL = os.environ.get("STATIC_LIVE_URL", "")
# Origins of static copies allowed to post inquiries to this live site (CORS and CSRF),
# e.g. "https://steel.example.com,https://*.example.org".
STATIC_SITE_ORIGINS = env_list("STATIC_SITE_ORIGINS")
# The static search index is split into shards of about this many pages; a rebuild re-indexes
# only the shards whose pages changed, and the browser searches them all.
STATIC_SEARCH_SHARD_SIZE = int(os.environ.get("STATIC_SEARCH_SHARD_SIZE", "1000"))
# The endpoints static copies use: the inquiry and enquiry forms, alert sign-ups, their tokens.
CORS_URLS_REGEX = (
    r"^/(market/(listings/\d+/inquiry|form-token)|alerts/(subscribe|form-token)"
    r"|enquiries/(\d+|form-token))/$"
)

# Member accounts (django-allauth): sign in by email, verified before first use.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
# Pages and documents restricted to signed-in visitors send them to the members' sign-in
# (throttled by django-allauth), not to Wagtail's own form.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_ADAPTER = "portal.members.adapter.MemberAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "portal.members.forms.CompanySignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_USER_DISPLAY = "portal.members.adapter.user_display"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guildhall <noreply@localhost>")
# Every email goes through a queue in the database (django-post-office): sent at once, and
# when the mail server cannot take it, kept and retried by `run_board_jobs` for two days.
# EMAIL_BACKEND in the environment names the transport behind the queue.
EMAIL_BACKEND = "post_office.EmailBackend"
POST_OFFICE = {
    "BACKENDS": {
        "default": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    },
    "DEFAULT_PRIORITY": "now",
    "MAX_RETRIES": 48,
    "RETRY_INTERVAL": timedelta(minutes=15),
    "LOG_LEVEL": 1,
}
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))

# Rate limits and the counters behind them. Without CACHE_URL (redis://...) every process
# counts on its own, which is fine for one process but not for a fleet of workers.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Rate-limit counters must outlive other visitors' entries (the default keeps 300).
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Wagtail looks image renditions up here before asking the database.
CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}
if CACHES["renditions"]["BACKEND"].endswith("LocMemCache"):
    CACHES["renditions"] |= {"LOCATION": "renditions", "OPTIONS": {"MAX_ENTRIES": 20_000}}

# The page cache: anonymous pages shared by every visitor, purged when what they show changes
# (portal/pagecache). "varnish": Varnish in front (VARNISH_URL, where purges go; see
# docs/deployment.md); "django": kept by the app itself in CACHES["pages"] (the default);
# "off": nothing kept, and responses say so.
VARNISH_URL = os.environ.get("VARNISH_URL", "")
PAGE_CACHE = os.environ.get("PAGE_CACHE", "varnish" if VARNISH_URL else "django")
if PAGE_CACHE not in {"varnish", "django", "off"}:
    raise ValueError(f"PAGE_CACHE must be varnish, django or off, not {PAGE_CACHE!r}")
# The longest a shared cache keeps a page; purges remove it as soon as it changes.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 3600)))
# Varnish may be fetching a page rendered before a change while it is purged: purges are made
# again this many seconds later (0: never).
PAGE_CACHE_REPURGE_SECONDS = float(os.environ.get("PAGE_CACHE_REPURGE_SECONDS", "5"))
# Views besides portal pages whose anonymous answers are shared.
PAGE_CACHE_VIEWS = {
    "events_calendar",
    "event_ics",
    "price_series_csv",
    "price_series_json",
    "sitemap",
    "sitemap_pages",
    "sitemap_section",
    "robots_txt",
    "feed_rss",
    "feed_atom",
    "feed_atom_page",
    "search:search",
    "search:suggest",
}
# Without Redis, what processes must share (kept pages, the version of what every page
# shows: portal/core/models/shared.py) lives in files under VAR_DIR, shared by the processes
# of one machine; a fleet of machines needs CACHE_URL.
VAR_DIR = Path(os.environ.get("VAR_DIR", str(BASE_DIR / "var")))
SHARED_BY_PROCESSES = CACHES["default"]["BACKEND"].endswith("RedisCache")
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if SHARED_BY_PROCESSES
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PAGE_CACHE_DIR", str(VAR_DIR / "page-cache")),
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
)
CACHES["shared"] = (
    {**CACHES["default"], "KEY_PREFIX": "shared"}
    if SHARED_BY_PROCESSES
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "shared"),
    }
)
WAGTAILFRONTENDCACHE = {
    "varnish": {
        "varnish": {"BACKEND": "portal.pagecache.backends.VarnishBackend", "LOCATION": VARNISH_URL}
    },
    "django": {"django": {"BACKEND": "portal.pagecache.backends.DjangoCacheBackend"}},
}.get(PAGE_CACHE)

RATELIMIT_VIEW = "portal.defences.limits.too_many_requests"
RATELIMIT_IP_META_KEY = "portal.defences.limits.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Per IP and, separately, per account: "<count>/<s|m|h|d>"; override with RATE_LIMIT_<NAME>.
RATE_LIMITS = {
    name: os.environ.get(f"RATE_LIMIT_{name.upper()}", default)
    for name, default in {
        "inquiry": "10/h",
        "enquiry": "10/h",  # franchise and investment enquiries
        "reply": "60/h",  # members' replies to inquiries, sent through the portal
        "listing": "20/h",
        "quote": "30/h",
        "search": "120/m",
        "password": "10/h",
        "suggest": "600/m",
        "api": "300/m",  # every API request, per address and per token
        "import": "20/h",
        "alert": "10/h",  # sign-ups by email alone: each sends a confirmation
        "sponsored": "600/h",  # counted impressions and clicks of sponsored slots, per address
    }.items()
}
# Members' bulk uploads of listings (CSV or XLSX): the largest file and the most rows taken.
# The rows are checked and submitted into moderation in batches (about 5 ms a row): 1,000 keep
# an upload well inside gunicorn's 30-second worker timeout.
TRANSFERS_MAX_BYTES = int(os.environ.get("TRANSFERS_MAX_BYTES", str(2 * 1024 * 1024)))
TRANSFERS_MAX_ROWS = int(os.environ.get("TRANSFERS_MAX_ROWS", "1000"))
# Members' evidence for verification: the largest file taken (PDF, PNG or JPEG).
VERIFICATION_EVIDENCE_MAX_BYTES = int(
    os.environ.get("VERIFICATION_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
)
# At most this many sponsored items at the top of the board's lists and of search results.
SPONSORED_SLOTS = int(os.environ.get("SPONSORED_SLOTS", "3"))
# Public forms refuse submissions filled in faster than this (seconds): bots, not people.
FORM_MIN_FILL_SECONDS = float(os.environ.get("FORM_MIN_FILL_SECONDS", "3"))
# Listers get a reminder this many days before a listing expires.
LISTING_REMINDER_DAYS = int(os.environ.get("LISTING_REMINDER_DAYS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 410 is the answer the board means to give for an expired listing: no warning line.
    "filters": {"quiet_gone": {"()": "portal.log_filters.QuietGone"}},
    "loggers": {
        "django.request": {"filters": ["quiet_gone"]},
        # The mail queue says what failed, not every round of what it sent.
        "post_office": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
