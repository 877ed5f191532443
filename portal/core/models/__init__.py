from .pages import (
    PAGE_CONTEXT_HOOK,
    HubPage,
    ListingIndexPage,
    PortalHomePage,
    PortalPage,
    PortalPageQuerySet,
)
from .settings import PortalSettings
from .shared import connect as _connect_shared
from .taxonomy import Category, Region

__all__ = [
    "PAGE_CONTEXT_HOOK",
    "Category",
    "HubPage",
    "ListingIndexPage",
    "PortalHomePage",
    "PortalPage",
    "PortalPageQuerySet",
    "PortalSettings",
    "Region",
]

# What every page of a portal shares is kept per process until a signal says it changed.
_connect_shared()
