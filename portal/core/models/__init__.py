from .pages import PAGE_CONTEXT_HOOK, HubPage, ListingIndexPage, PortalHomePage, PortalPage
from .settings import PortalSettings
from .taxonomy import Category, Region

__all__ = [
    "PAGE_CONTEXT_HOOK",
    "Category",
    "HubPage",
    "ListingIndexPage",
    "PortalHomePage",
    "PortalPage",
    "PortalSettings",
    "Region",
]
