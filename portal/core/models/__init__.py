from .pages import HubPage, ListingIndexPage, PortalHomePage, PortalPage
from .settings import PortalSettings
from .taxonomy import Category, Region

__all__ = [
    "Category",
    "HubPage",
    "ListingIndexPage",
    "PortalHomePage",
    "PortalPage",
    "PortalSettings",
    "Region",
]
