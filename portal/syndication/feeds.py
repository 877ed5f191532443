"""RSS 2.0 and Atom feeds of every section: ``/feeds/<section-slug>/rss.xml`` and ``atom.xml``.

Plain paths with an ``.xml`` suffix, so a static export serves them with the right type.
"""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from wagtail.models import Page

from portal.core.context import portal_site
from portal.core.models import ListingIndexPage

FEED_ITEMS = 30
TEASER_FIELDS = ("summary", "search_description", "description", "profile")


def section_for(request: HttpRequest, slug: str) -> ListingIndexPage:
    """The live section ``slug`` directly under the requested portal's home page."""
    site = portal_site(request)
    if site is None:
        raise Http404("No portal here")
    page = (
        Page.objects.live().public().child_of(site.root_page).filter(slug=slug).specific().first()
    )
    if not isinstance(page, ListingIndexPage):
        raise Http404("No such section")
    return page


def teaser(item: Page) -> str:
    """The first non-empty summary-like field of a listed page, cut to 60 words."""
    for name in TEASER_FIELDS:
        value = getattr(item, name, "")
        if isinstance(value, str) and value.strip():
            return Truncator(value).words(60)
    return ""


class SectionFeed(Feed):
    """The newest items of one section, as RSS 2.0 (Atom in the subclass)."""

    feed_type = Rss201rev2Feed
    url_name = "feed_rss"

    def get_object(self, request: HttpRequest, slug: str) -> ListingIndexPage:
        return section_for(request, slug)

    def title(self, section: ListingIndexPage) -> str:
        portal = section.portal_site.root_page.title if section.portal_site else ""
        return f"{section.title} · {portal}" if portal else section.title

    def link(self, section: ListingIndexPage) -> str:
        return section.full_url

    def feed_url(self, section: ListingIndexPage) -> str:
        """The feed's own address from the portal's, never from the request's Host (caches
        share the feed with everyone)."""
        return section.get_site().root_url + reverse(self.url_name, args=[section.slug])

    def description(self, section: ListingIndexPage) -> str:
        return section.intro or f"The latest {section.listing_nouns[1]} on {self.title(section)}."

    def items(self, section: ListingIndexPage) -> list[Page]:
        return section.latest(FEED_ITEMS)

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return teaser(item)

    def item_link(self, item: Page) -> str:
        return item.full_url

    def item_pubdate(self, item: Page) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Page) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: Page) -> list[str]:
        category: Any = getattr(item, "category", None) or getattr(item, "sector", None)
        return [category.name] if category is not None else []


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    url_name = "feed_atom"
    subtitle = SectionFeed.description
