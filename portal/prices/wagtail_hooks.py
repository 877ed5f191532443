"""What the prices section adds to pages: a caution on sell offers priced far under their
series (see ``caution.py``), and a series page's chart, table and dataset."""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from portal.board.models import SellOfferPage
from portal.core.context import portal_for_request
from portal.core.models import PAGE_CONTEXT_HOOK
from portal.core.models.shared import shared

from .caution import CautionCheck
from .models import PriceSeriesPage
from .presentation import series_context


def price_caution(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    """The caution of a sell offer priced far under its series; the series and their latest
    values are kept per process (``shared``) until a page or a point changes."""
    portal = portal_for_request(request)
    if not isinstance(page, SellOfferPage) or not page.is_open or portal is None:
        return
    check = shared(
        request, ("price-caution", portal.site.pk), lambda: CautionCheck.for_portal(portal.home)
    )
    if check is not None:
        context["price_caution"] = check(page, page.category.parent_id)


def series_page(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if isinstance(page, PriceSeriesPage) and not page.showing_inputs:
        context.update(series_context(page))


hooks.register(PAGE_CONTEXT_HOOK, price_caution)
hooks.register(PAGE_CONTEXT_HOOK, series_page)
