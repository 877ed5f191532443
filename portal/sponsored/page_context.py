"""What the sponsored app adds to pages: the slots above a section's list (a
``portal_page_context`` hook) and above a portal's search results (a ``search_page_context``
hook). The list's filter and page are known only once the route has run, so the template asks
``sponsored_for(kind, choice, number)``."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from portal.core.context import portal_site
from portal.core.models import ListingIndexPage

from .slots import index_slots, search_slots


def index_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    if isinstance(page, ListingIndexPage):
        context["sponsored_for"] = partial(index_slots, page, request)


def search_context(request: HttpRequest, context: dict[str, Any]) -> None:
    found = context.get("search")
    number = found.query.page if found is not None else 1
    context["sponsored_search"] = search_slots(portal_site(request), request, number)
