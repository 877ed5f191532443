"""The page cache without Varnish: anonymous pages kept in a Django cache (``CACHES["pages"]``).

A page is kept under its host (without the port), path and, for the search, its query.
Purging a URL gives it a new version; banning a prefix (a whole portal, or the search
results) gives that prefix a new generation. An entry records the versions read *before* its
page was rendered, so a page rendered while a change was being made is never kept as if it
were newer, and entries from an older version are never served. A cache that fails answers
"not kept": pages are then served uncached, never an error.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

# Prefixes banned as a whole: a portal (everything) and the search page's variants.
BANNED_PREFIXES = ("/", "/search/")
HEADERS_KEPT = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Surrogate-Control",
    "ETag",
    "Last-Modified",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-Robots-Tag",
)


@dataclass(frozen=True)
class Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    generations: tuple[str, ...]

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def enabled() -> bool:
    return settings.PAGE_CACHE == "django"


def _cache():
    return caches["pages"]


def host_of(netloc: str) -> str:
    """The host a page is kept under: lower case, without the port (pages take their
    absolute addresses from the portal's site, never from the request's Host)."""
    return netloc.rsplit(":", 1)[0].lower() if not netloc.endswith("]") else netloc.lower()


def _prefixes(path: str) -> list[str]:
    return [prefix for prefix in BANNED_PREFIXES if path.startswith(prefix)]


def _key(host: str, path: str, query: str) -> str:
    return "page:" + hashlib.blake2b(f"{host}\x1f{path}\x1f{query}".encode()).hexdigest()


def _url_version_key(host: str, path: str) -> str:
    return "url:" + hashlib.blake2b(f"{host}\x1f{path}".encode()).hexdigest()


def _generation_key(host: str, prefix: str) -> str:
    return "gen:" + hashlib.blake2b(f"{host}\x1f{prefix}".encode()).hexdigest()


def _versions(host: str, path: str) -> tuple[str, ...]:
    """The URL's version and its prefixes' generations; a missing one is made anew (an
    evicted generation must not make older entries valid again)."""
    cache = _cache()
    keys = [_url_version_key(host, path)] + [_generation_key(host, p) for p in _prefixes(path)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            fresh = secrets.token_hex(8)
            found[key] = fresh if cache.add(key, fresh, None) else cache.get(key, fresh)
    return tuple(found[key] for key in keys)


@dataclass(frozen=True)
class Ticket:
    """What a request will be kept under, read before its page is rendered."""

    key: str
    versions: tuple[str, ...]


def get(request: HttpRequest, query: str) -> tuple[Kept | None, Ticket | None]:
    """The kept response for ``request`` if any (and not purged since), and the ticket to
    keep a fresh one under (None when the cache cannot be read)."""
    host, path = host_of(request.get_host()), request.path
    try:
        versions = _versions(host, path)
        key = _key(host, path, query)
        kept = _cache().get(key)
    except Exception:
        log.warning("The page cache cannot be read; serving uncached", exc_info=True)
        return None, None
    if isinstance(kept, Kept) and kept.generations == versions:
        return kept, None
    return None, Ticket(key, versions)


def put(ticket: Ticket, response: HttpResponse, seconds: int) -> None:
    headers = tuple((name, response[name]) for name in HEADERS_KEPT if response.has_header(name))
    try:
        kept = Kept(response.status_code, headers, response.content, ticket.versions)
        _cache().set(ticket.key, kept, seconds)
    except Exception:
        log.warning("The page cache cannot be written; serving uncached", exc_info=True)


def purge_url(url: str) -> bool:
    """Forget the page at ``url``; False when the cache could not be told."""
    parts = urlsplit(url)
    try:
        _cache().set(
            _url_version_key(host_of(parts.netloc), parts.path or "/"), secrets.token_hex(8), None
        )
    except Exception:
        log.warning("The page cache cannot purge %s", url, exc_info=True)
        return False
    return True


def ban(host: str, prefix: str) -> bool:
    """Forget every page of ``host`` below ``prefix`` (one of ``BANNED_PREFIXES``)."""
    if prefix not in BANNED_PREFIXES:
        raise ValueError(f"{prefix!r} cannot be banned; use one of {BANNED_PREFIXES}")
    try:
        _cache().set(_generation_key(host_of(host), prefix), secrets.token_hex(8), None)
    except Exception:
        log.warning("The page cache cannot ban %s%s", host, prefix, exc_info=True)
        return False
    return True
