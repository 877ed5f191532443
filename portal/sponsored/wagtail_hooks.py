"""The sponsored app's Wagtail hooks: the slots on section lists and search pages, the
editors' admin of sponsorships and house ads, and the placement report."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.core.admin_reports import (
    register_report_menu_item,
    register_report_urls,
    report_paths,
)
from portal.core.models import PAGE_CONTEXT_HOOK
from search.views import SEARCH_PAGE_CONTEXT_HOOK

from .admin_views import HouseAdViewSet, SponsorshipViewSet
from .page_context import index_context, search_context
from .reports import PlacementReport

hooks.register(PAGE_CONTEXT_HOOK, index_context)
hooks.register(SEARCH_PAGE_CONTEXT_HOOK, search_context)


class SponsoredGroup(ViewSetGroup):
    menu_label = "Sponsored"
    menu_icon = "pick"
    menu_order = 320
    items = (SponsorshipViewSet("sponsorships"), HouseAdViewSet("housead"))


@hooks.register("register_admin_viewset")
def register_sponsored() -> SponsoredGroup:
    return SponsoredGroup()


report_urls = report_paths(PlacementReport, "placement")


register_report_urls("reports/sponsored/", "sponsored_reports", report_urls)

register_report_menu_item(
    "Sponsored placement",
    "sponsored_reports:placement",
    name="sponsored-placement",
    icon_name="pick",
    order=1200,
)
