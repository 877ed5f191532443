"""What pages of a portal show of the board without linking to it, for the static export's
incremental builds: a listing's matches, a buy request's quote count, a company's listings.
The weekly supply and demand its category pages chart is ``balance.first_page_balances``."""

from collections import defaultdict
from typing import Any

from wagtail.models import Page

from .models import NEWEST_FIRST, Quote, TradeListingPage
from .page_context import companies_listings


def shown_content(root: Page) -> dict[int, list[Any]]:
    shown: dict[int, list[Any]] = defaultdict(list)
    listings = TradeListingPage.objects.open().descendant_of(root).order_by(*NEWEST_FIRST)
    rows = list(listings.values_list("kind", "category_id", "region_id", "pk"))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for kind, category_id, region_id, pk in rows:
        groups[TradeListingPage.group_of(kind, category_id, region_id)].append(pk)
    for kind, category_id, region_id, pk in rows:
        matches = groups.get(TradeListingPage.match_group_of(kind, category_id, region_id), [])
        shown[pk].append(matches[: TradeListingPage.matches_shown])
    for request_id, count in Quote.counted_by_request(root).items():
        shown[request_id].append(("quotes", count))
    for company_id, pks in companies_listings(root).items():
        shown[company_id].append(pks)
    return shown
