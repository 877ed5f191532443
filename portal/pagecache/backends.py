"""Wagtail frontend-cache backends for the two page caches, both also able to ban a prefix.

``WAGTAILFRONTENDCACHE`` names one of them (see the settings): Wagtail purges a page's URL
when it is published, unpublished, deleted or moved, and ``portal.pagecache.purge`` purges
everything else a change touches through the same backends.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

from . import store

log = logging.getLogger("wagtail.frontendcache")
TIMEOUT = 5


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend (``PURGE`` of one URL), plus ``BAN`` of a prefix, which the
    VCL in ``deploy/varnish/guildhall.vcl`` accepts from loopback only."""

    def ban(self, host: str, prefix: str) -> None:
        location = urlunsplit([self.cache_scheme, self.cache_netloc, prefix, "", ""])
        request = Request(location, method="BAN", headers={"Host": host, "X-Ban-Prefix": prefix})
        try:
            urlopen(request, timeout=TIMEOUT)
        except (URLError, OSError) as error:
            log.error("Couldn't ban %s%s from the HTTP cache: %s", host, prefix, error)


class DjangoCacheBackend(BaseBackend):
    """The embedded page cache (``portal.pagecache.store``)."""

    def purge(self, url: str) -> None:
        store.purge_url(url)

    def ban(self, host: str, prefix: str) -> None:
        store.ban(host, prefix)


def ban(root_url: str, prefix: str) -> None:
    """Ban every page below ``prefix`` of the site at ``root_url`` from every page cache."""
    host = urlsplit(root_url).netloc
    for backend in get_backends().values():
        if backend.invalidates_hostname(host) and hasattr(backend, "ban"):
            backend.ban(host, prefix)
