"""The page cache without Varnish: anonymous pages kept in a Django cache (``CACHES["pages"]``).

A page is kept under its host (without the port), path and, for the search page, its sorted
query. Purging a URL deletes its entry; banning a prefix (a whole portal, or the search page's
variants) changes that prefix's generation, which every entry records when it is kept, so
entries from an older generation are never served. A cache that fails answers "not kept":
pages are then served uncached, never an error.
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
    """The host a page is kept under: lower case, without the port."""
    return netloc.rsplit(":", 1)[0].lower() if not netloc.endswith("]") else netloc.lower()


def _prefixes(path: str) -> list[str]:
    return [prefix for prefix in BANNED_PREFIXES if path.startswith(prefix)]


def _key(host: str, path: str, query: str) -> str:
    return "page:" + hashlib.blake2b(f"{host}\x1f{path}\x1f{query}".encode()).hexdigest()


def _generation_key(host: str, prefix: str) -> str:
    return "gen:" + hashlib.blake2b(f"{host}\x1f{prefix}".encode()).hexdigest()


def _generations(host: str, path: str) -> tuple[str, ...]:
    keys = [_generation_key(host, prefix) for prefix in _prefixes(path)]
    found = _cache().get_many(keys)
    return tuple(found.get(key, "0") for key in keys)


def request_key(request: HttpRequest, query: str) -> tuple[str, str, str]:
    return host_of(request.get_host()), request.path, query


def get(request: HttpRequest, query: str) -> Kept | None:
    """The kept response for ``request``, if any and not purged since."""
    host, path, query = request_key(request, query)
    try:
        kept = _cache().get(_key(host, path, query))
        if isinstance(kept, Kept) and kept.generations == _generations(host, path):
            return kept
    except Exception:
        log.warning("The page cache cannot be read; serving uncached", exc_info=True)
    return None


def put(request: HttpRequest, query: str, response: HttpResponse, seconds: int) -> None:
    host, path, query = request_key(request, query)
    headers = tuple((name, response[name]) for name in HEADERS_KEPT if response.has_header(name))
    try:
        kept = Kept(response.status_code, headers, response.content, _generations(host, path))
        _cache().set(_key(host, path, query), kept, seconds)
    except Exception:
        log.warning("The page cache cannot be written; serving uncached", exc_info=True)


def purge_url(url: str) -> None:
    """Forget the page at ``url`` (every query of it is a separate entry: see ``ban``)."""
    parts = urlsplit(url)
    try:
        _cache().delete(_key(host_of(parts.netloc), parts.path or "/", parts.query))
    except Exception:
        log.warning("The page cache cannot purge %s", url, exc_info=True)


def ban(host: str, prefix: str) -> None:
    """Forget every page of ``host`` below ``prefix`` (one of ``BANNED_PREFIXES``)."""
    if prefix not in BANNED_PREFIXES:
        raise ValueError(f"{prefix!r} cannot be banned; use one of {BANNED_PREFIXES}")
    try:
        _cache().set(_generation_key(host_of(host), prefix), secrets.token_hex(8), None)
    except Exception:
        log.warning("The page cache cannot ban %s%s", host, prefix, exc_info=True)
