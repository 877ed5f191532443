"""How a page knows it is being rendered for the static export, and links back to the live site.

The exporter marks its requests; templates then point dynamic features (forms that post,
sign-in, the member area) at the live site through ``live_url``. Those links carry a
placeholder prefix that the exporter swaps for the live site's address after rendering, so
they survive the rewrite of the portal's own address to the static one.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

STATIC_EXPORT_ATTR = "static_export"
LIVE_PREFIX = "guildhall-live:"
T = TypeVar("T")


class ExportMemo:
    """What every page of one build shows alike (the menu, a section's breadcrumbs), looked
    up once per build process instead of once per page. Set as the requests' export mark."""

    def __init__(self, bulk: bool = True) -> None:
        self.values: dict[Any, Any] = {}
        # Rendering many pages: worth loading a whole board once (e.g. to match listings)
        # rather than querying per page. A small incremental build queries per page.
        self.bulk = bulk

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        if key not in self.values:
            self.values[key] = compute()
        return self.values[key]


def _memo(request: HttpRequest | None) -> ExportMemo | None:
    memo = getattr(request, STATIC_EXPORT_ATTR, None) if request is not None else None
    return memo if isinstance(memo, ExportMemo) else None


def bulk_export(request: HttpRequest | None) -> bool:
    memo = _memo(request)
    return memo is not None and memo.bulk


def remembered(request: HttpRequest | None, key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, kept for the rest of the build when ``request`` is an export's."""
    memo = _memo(request)
    return memo.get(key, compute) if memo is not None else compute()


def is_static(request: HttpRequest | None) -> bool:
    return bool(request is not None and getattr(request, STATIC_EXPORT_ATTR, False))


def live_url(request: HttpRequest | None, path: str) -> str:
    """``path`` on the live site: as is when serving live, marked for rewriting when exporting."""
    return f"{LIVE_PREFIX}{path}" if is_static(request) else path
