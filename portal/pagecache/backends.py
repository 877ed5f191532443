"""Wagtail frontend-cache backends for the two page caches, both also able to ban a prefix.

``WAGTAILFRONTENDCACHE`` names one of them (see the settings): Wagtail purges a page's URL
when it is published, unpublished, deleted or moved, and ``portal.pagecache.purge`` purges
everything else a change touches through the same backends. Their ``purge_urls`` and ``ban``
say whether the cache was told, so that a lost purge is made good by a ban later.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.utils.encoding import iri_to_uri
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

from . import store

log = logging.getLogger("wagtail.frontendcache")
TIMEOUT = 5  # seconds: an unanswering Varnish must not hold up a publication


class VarnishBackend(HTTPBackend):
    """``PURGE`` of a URL (every variant of it) and ``BAN`` of a prefix, sent to Varnish's
    purge listener (``VARNISH_URL``), which the VCL in ``deploy/varnish/guildhall.vcl`` keeps
    for them."""

    # A fetch begun before a purge is kept after it: purges are made again a moment later.
    purges_in_flight = True

    def _send(self, method: str, netloc: str, path: str, **headers: str) -> bool:
        location = urlunsplit([self.cache_scheme, self.cache_netloc, iri_to_uri(path), "", ""])
        request = Request(location, method=method, headers={"Host": netloc, **headers})
        try:
            urlopen(request, timeout=TIMEOUT).close()
        except (URLError, OSError, ValueError) as error:
            log.error("Couldn't %s %s%s in the HTTP cache: %s", method, netloc, path, error)
            return False
        return True

    def purge(self, url: str) -> None:
        self.purge_urls([url])

    def purge_batch(self, urls: list[str]) -> None:
        self.purge_urls(urls)

    def purge_urls(self, urls: list[str]) -> bool:
        results = [self._send("PURGE", urlsplit(u).netloc, urlsplit(u).path or "/") for u in urls]
        return all(results)

    def ban(self, netloc: str, prefix: str) -> bool:
        return self._send("BAN", netloc, prefix, **{"X-Ban-Prefix": prefix})


class DjangoCacheBackend(BaseBackend):
    """The embedded page cache (``portal.pagecache.store``)."""

    purges_in_flight = False  # entries record the versions read before rendering

    def purge(self, url: str) -> None:
        store.purge_url(url)

    def purge_urls(self, urls: list[str]) -> bool:
        return all([store.purge_url(url) for url in urls])

    def ban(self, netloc: str, prefix: str) -> bool:
        return store.ban(netloc, prefix)


def page_caches(root_url: str) -> list:
    """The configured page caches that hold pages of the site at ``root_url``."""
    host = urlsplit(root_url).netloc
    return [
        backend
        for backend in get_backends().values()
        if backend.invalidates_hostname(host) and hasattr(backend, "ban")
    ]


def purge(root_url: str, paths: list[str]) -> bool:
    """Purge ``paths`` of the site at ``root_url`` from every page cache; False if one failed."""
    urls = [root_url + path for path in paths]
    return all([backend.purge_urls(urls) for backend in page_caches(root_url)])


def ban(root_url: str, prefix: str) -> bool:
    """Ban every page below ``prefix`` of the site at ``root_url`` from every page cache."""
    netloc = urlsplit(root_url).netloc
    return all([backend.ban(netloc, prefix) for backend in page_caches(root_url)])
