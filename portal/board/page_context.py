"""What the board adds to pages it does not own the models of, and to its own pages: the
forms to respond with, the matches, quotes, a company's current listings, and the supply and
demand balance of a category on the board's category pages.

Registered as ``portal_page_context`` hooks (see ``wagtail_hooks.py``), so the models never
import the forms.
"""

from functools import partial
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page, Site

from portal.core.context import portal_for_request
from portal.core.loading import first_of_each, rows_of_each
from portal.core.models import Category
from portal.directory.models import CompanyPage
from portal.members.models import Membership
from portal.rendering import blank_form, per_build

from .balance import Balance, category_balance
from .forms import InquiryForm, QuoteForm
from .gone import gone_response
from .models import NEWEST_FIRST, BoardIndexPage, BuyRequestPage, TradeListingPage


def listing_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if not isinstance(page, TradeListingPage):
        return
    membership = Membership.for_request(request)
    context["membership"] = membership
    context["is_own"] = bool(membership and membership.owns_page(page))
    context.setdefault("inquiry_form", blank_form(request, InquiryForm))
    context["matches"] = page.matches(request=request) if page.is_open else []
    portal = portal_for_request(request)
    if isinstance(page, BuyRequestPage) and portal is not None:
        context["quote_count"] = page.open_quote_count(request)
        context["quote_cap"] = portal.settings.quote_cap
        if membership is not None:  # only members are shown the form
            context.setdefault("quote_form", QuoteForm(portal=portal.settings))
        context["my_quote"] = (
            page.quotes.filter(membership=membership).first() if membership else None
        )


def board_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    """``balance_for(category)``: the board's template asks for the balance of the category
    a page is filtered by (the filter is known only once the route has run), in one query."""
    if isinstance(page, BoardIndexPage):
        context["balance_for"] = partial(board_balance, page, request)


def board_balance(board: BoardIndexPage, request: HttpRequest, category: Category) -> Balance:
    """The balance of ``category`` on ``board``, its units named as the portal names them."""
    portal = portal_for_request(request)
    units = portal.settings.units if portal is not None else []
    names = {unit.get("code", ""): unit.get("name", "") for unit in units or []}
    return category_balance(board, category, unit_names=names)


COMPANY_LISTINGS_SHOWN = 6


def company_listings(
    company: CompanyPage, request: HttpRequest | None = None
) -> list[TradeListingPage]:
    """The company's open offers and requests, newest first, as its page shows them; a bulk
    static build loads those of every company of the portal at once."""

    def listings() -> models.QuerySet:
        return TradeListingPage.objects.open().select_related("category", "region")

    every = per_build(
        request,
        ("company-listings",),
        lambda: rows_of_each(
            companies_listings(Site.find_for_request(request).root_page), listings()
        ),
    )
    if every is None:
        return list(
            listings().filter(company=company).order_by(*NEWEST_FIRST)[:COMPANY_LISTINGS_SHOWN]
        )
    return every.get(company.pk, [])


def companies_listings(root: Page) -> dict[int, list[int]]:
    """``{company id: the ids of the listings its page shows}`` for the portal at ``root``."""
    rows = (
        TradeListingPage.objects.open()
        .descendant_of(root)
        .filter(company__isnull=False)
        .order_by(*NEWEST_FIRST)
        .values_list("company_id", "pk")
    )
    return first_of_each(rows, COMPANY_LISTINGS_SHOWN)


def company_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if isinstance(page, CompanyPage):
        context["company_listings"] = company_listings(page, request)


def serve_gone(page: Page, request: HttpRequest, args, kwargs) -> HttpResponse | None:
    """A listing that closed or expired (but is still published) answers 410 with
    alternatives; previews show it as it is."""
    if isinstance(page, TradeListingPage) and not page.is_open:
        return gone_response(request, page)
    return None
