"""WebSub (W3C): telling a hub that feeds changed, so it pushes them to their subscribers.

Feeds name the hub (``WEBSUB_HUB_URL``) with ``<link rel="hub">``; after a change, whoever
knows which feeds changed (the page cache's purge and ``build_static`` compare stamps and
know the paths) calls :func:`ping_hub` with their addresses. A hub that cannot be reached
costs a log line, never the change that was made.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from .feeds import websub_hub

log = logging.getLogger(__name__)
TIMEOUT = 5  # seconds


def ping_hub(feed_urls: Iterable[str], hub: str | None = None) -> list[str]:
    """Send the hub ``hub.mode=publish`` for each of ``feed_urls`` (absolute addresses);
    the ones it accepted (any 2xx answer). Nothing is sent without a hub."""
    hub = websub_hub() if hub is None else hub
    accepted: list[str] = []
    if not hub:
        return accepted
    for url in dict.fromkeys(feed_urls):
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                if 200 <= response.status < 300:
                    accepted.append(url)
        except (urllib.error.URLError, OSError, ValueError) as error:
            log.warning("WebSub hub %s refused %s: %s", hub, url, error)
    return accepted
