"""What syndication adds to every page's context (a ``portal_page_context`` hook): its
JSON-LD documents, its social card and canonical address, and its Atom feed."""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from portal.core.models import PAGE_CONTEXT_HOOK, ListingIndexPage, PortalHomePage
from portal.core.models.pages import filter_value

from .feeds import atom_path, followed_by, websub_hub
from .structured import page_structured_data, social_card


def feed_of(page: Page, request: HttpRequest | None) -> Any:
    """``atom_feed(kind, filter_object)``: the path of the Atom feed a page (or one of a
    section's filters) offers, or ''; the filter is known only once the route has run."""

    def atom_feed(kind: str | None = None, filter_object: Any = None) -> str:
        if isinstance(page, ListingIndexPage):
            return atom_path(page.slug, page.filter_suffix(kind, filter_value(filter_object)))
        parent = page.get_parent().specific if page.depth > 2 else None
        if isinstance(parent, ListingIndexPage):
            home = parent.get_parent().specific
            if not isinstance(home, PortalHomePage):
                return ""
            if followed_by(home.shared_sections(request), type(page)):
                return atom_path(parent.slug, page.slug + "/")
        return ""

    return atom_feed


def syndication_context(page: Page, request: HttpRequest, context: dict[str, Any]) -> None:
    data = page_structured_data(page, request)
    context["structured_data"] = data
    context["social"] = social_card(page, request, data)
    context["atom_feed"] = feed_of(page, request)
    context["websub_hub"] = websub_hub()


hooks.register(PAGE_CONTEXT_HOOK, syndication_context)
