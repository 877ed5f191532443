"""RSS 2.0 and Atom feeds: of every section (``/feeds/<section>/rss.xml`` and ``atom.xml``),
of every filter of a section (``/feeds/<section>/category/<slug>/atom.xml``,
``/feeds/<section>/region/<code>/atom.xml`` and whatever filters a section type adds), and of
every page that a section's items point to (a company's listings:
``/feeds/<section>/<company>/atom.xml``).

A feed's path is its page's path below ``/feeds/`` with ``atom.xml`` added: plain paths with
an ``.xml`` suffix, so a static export serves them with the right type. Which items a feed
lists is the section's rule (``ListingIndexPage.listings()`` and ``filtered()``): current
items only, newest first, like the page it follows.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from wagtail.models import Page, Site

from portal import rendering
from portal.core.context import portal_site
from portal.core.loading import first_of_each
from portal.core.models import ListingIndexPage, PortalHomePage
from portal.core.models.pages import all_pages

FEED_ITEMS = 30
TEASER_FIELDS = ("summary", "search_description", "description", "profile")


def websub_hub() -> str:
    """The WebSub hub feeds name for subscribers (``WEBSUB_HUB_URL``), or ''."""
    return getattr(settings, "WEBSUB_HUB_URL", "") or ""


def section_for(request: HttpRequest, slug: str) -> ListingIndexPage:
    """The live, public section ``slug`` directly under the requested portal's home page,
    from the home page's children kept per process (no query)."""
    site = portal_site(request)
    if site is None:
        raise Http404("No portal here")
    home = site.root_page.specific
    page = home.child_for_route(request, slug) if isinstance(home, PortalHomePage) else None
    if not isinstance(page, ListingIndexPage) or not page.live:
        raise Http404("No such section")
    page._request, page._cached_parent_obj = request, home  # as routing to it leaves it
    if page.get_view_restrictions().exists():  # no query unless it is restricted
        raise Http404("No such section")
    return page


def teaser(item: Page) -> str:
    """The first non-empty summary-like field of a listed page, cut to 60 words."""
    for name in TEASER_FIELDS:
        value = getattr(item, name, "")
        if isinstance(value, str) and value.strip():
            return Truncator(value).words(60)
    return ""


def atom_path(section_slug: str, suffix: str = "") -> str:
    """The path of the Atom feed of a section (``suffix``: a filter's, or a page's slug)."""
    if not suffix:
        return rendering.reverse("feed_atom", args=[section_slug])
    return rendering.reverse("feed_atom_page", args=[section_slug, suffix])


def pointers(section: ListingIndexPage, model: type[Page]) -> list[str]:
    """The fields by which the section's items point to pages of ``model`` (a listing's
    ``company``): such a page has a feed of the items pointing to it."""
    return list(_pointers(section.get_listing_model(), model))


@cache
def _pointers(listing_model: type[Page], model: type[Page]) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in listing_model._meta.get_fields()
        if field.many_to_one
        and field.concrete
        and field.model is not Page
        and isinstance(field.related_model, type)
        and issubclass(field.related_model, Page)
        and field.related_model is not Page
        and issubclass(model, field.related_model)
    )


def followed_by(sections: list[ListingIndexPage], model: type[Page]) -> list[tuple[Any, str]]:
    """``(section, field)`` of every section whose items point to pages of ``model``."""
    return [(section, name) for section in sections for name in pointers(section, model)]


def newest(published: datetime | None, pk: int) -> tuple[datetime, int]:
    """The key that orders a page's feed items, newest first (with ``reverse``)."""
    return (published or datetime.min.replace(tzinfo=UTC), pk)


@dataclass
class FeedSubject:
    """What one feed follows: a section, one of its filters, or a page its items point to."""

    title: str
    link: str
    path: str
    description: str
    site: Site
    items: list[Page] = field(default_factory=list)
    # The feed's date when it lists nothing: when what it follows was last published.
    since: datetime | None = None


def subject_for(request: HttpRequest, slug: str, suffix: str = "") -> FeedSubject:
    """The feed at ``/feeds/<slug>/<suffix>atom.xml``; 404 for anything else."""
    if "\x00" in suffix:  # no page's slug has one, and PostgreSQL refuses it in a query
        raise Http404("No such feed")
    section = section_for(request, slug)
    site = portal_site(request)  # the section's own: section_for looked under its home page
    portal = site.root_page.title
    named = f"{section.title} · {portal}"
    if not suffix:
        return FeedSubject(
            title=named,
            link=section.full_url,
            path=atom_path(section.slug),
            description=section.intro or f"The latest {section.listing_nouns[1]} on {named}.",
            site=site,
            items=section.first_listed(request, FEED_ITEMS),
            since=section.last_published_at,
        )
    found = section.filter_at(request, suffix)
    if found is not None:
        kind, choice = found
        name = getattr(choice, "name", "") or str(choice or kind)
        return FeedSubject(
            title=f"{section.title}: {name} · {portal}",
            link=section.full_url + suffix,
            path=atom_path(section.slug, suffix),
            description=f"The latest {section.listing_nouns[1]} in {name} on {portal}.",
            site=site,
            items=section.first_listed(request, FEED_ITEMS, kind, choice),
            since=section.last_published_at,
        )
    return page_subject(request, section, suffix, site)


def page_subject(
    request: HttpRequest, section: ListingIndexPage, suffix: str, site: Site
) -> FeedSubject:
    """The feed of the page at ``suffix`` (``<slug>/``) in ``section``, if items point to it."""
    portal = site.root_page.title
    slug = suffix[:-1] if suffix.endswith("/") else ""
    if not slug or "/" in slug:
        raise Http404("No such feed")
    page = _child_at(request, section, slug)
    model = page.specific_class if page is not None else None
    if model is None:
        raise Http404("No such page")
    home = section.get_parent().specific
    following = followed_by(home.shared_sections(request), model)
    if not following:
        raise Http404("This page has no feed")
    items: list[Page] = []
    for listing_section, name in following:
        items += _items_pointing(request, listing_section, name, page.pk)
    items.sort(key=lambda item: newest(item.first_published_at, item.pk), reverse=True)
    return FeedSubject(
        title=f"{page.title} · {portal}",
        link=page.full_url,
        path=atom_path(section.slug, suffix),
        description=f"New from {page.title} on {portal}.",
        site=site,
        items=items[:FEED_ITEMS],
        since=page.last_published_at,
    )


def _child_at(request: HttpRequest, section: ListingIndexPage, slug: str) -> Page | None:
    """The live, public child of ``section`` at ``slug`` (not specific: its title, dates and
    URL are all a feed shows of it); a bulk static build lists them all once
    (``rendering.per_build``)."""

    def children() -> models.QuerySet:
        return all_pages().live().public().child_of(section)

    by_slug = rendering.per_build(
        request, ("feed-pages", section.pk), lambda: {page.slug: page for page in children()}
    )
    if by_slug is None:
        return children().filter(slug=slug).first()
    return by_slug.get(slug)


def items_pointing(
    section: ListingIndexPage, name: str, published: Any = "first_published_at"
) -> dict[int, list[tuple[int, Any]]]:
    """For every page the section's items point to by field ``name`` (a company), the first
    ``FEED_ITEMS`` of them as its list orders them: ``(pk, published)``, in one query
    (``published``: the date as a field name or an expression)."""
    rows = (
        section.listings()
        .filter(**{f"{name}__isnull": False})
        .annotate(feed_published=models.F(published) if isinstance(published, str) else published)
        .values_list(name, "pk", "feed_published")
    )
    return first_of_each(((target, (pk, when)) for target, pk, when in rows), FEED_ITEMS)


def _items_pointing(
    request: HttpRequest, section: ListingIndexPage, name: str, target: int
) -> list[Page]:
    """The first ``FEED_ITEMS`` items of ``section`` pointing by ``name`` to page ``target``;
    a bulk static build groups them for every page once and loads each item once."""
    listings = section.list_of(request)
    pointing = rendering.per_build(
        request, ("items-pointing", section.pk, name), lambda: items_pointing(section, name)
    )
    if pointing is None:
        return list(listings.filter(**{name: target})[:FEED_ITEMS])
    ids = [pk for pk, _ in pointing.get(target, ())]
    return section.items_by_id(request, listings, ids)


class PortalAtom1Feed(Atom1Feed):
    """Atom as RFC 4287 wants it: a date that depends on the entries only (the same in the
    live feed and the static copy, also when it lists nothing), and the WebSub hub."""

    def latest_post_date(self) -> datetime:
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        dates = [value for value in dates if value is not None]
        if dates:
            return max(dates)
        return self.feed.get("since") or super().latest_post_date()

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})


class SectionFeed(Feed):
    """The newest items a page of a portal lists, as RSS 2.0 (Atom in the subclass): one
    class for every feed, whatever it follows (see ``subject_for``)."""

    feed_type: type = Rss201rev2Feed
    url_name = "feed_rss"

    def get_object(self, request: HttpRequest, slug: str, suffix: str = "") -> FeedSubject:
        return subject_for(request, slug, suffix)

    def title(self, subject: FeedSubject) -> str:
        return subject.title

    def link(self, subject: FeedSubject) -> str:
        return subject.link

    def feed_url(self, subject: FeedSubject) -> str:
        """The feed's own address from the portal's, never from the request's Host (caches
        share the feed with everyone)."""
        path = subject.path
        if self.feed_type is Rss201rev2Feed:
            path = path.removesuffix("atom.xml") + "rss.xml"
        return subject.site.root_url + path

    def description(self, subject: FeedSubject) -> str:
        return subject.description

    def author_name(self, subject: FeedSubject) -> str:
        return subject.site.root_page.title

    def author_link(self, subject: FeedSubject) -> str:
        return subject.site.root_url + "/"

    def items(self, subject: FeedSubject) -> list[Page]:
        return subject.items

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return teaser(item)

    def item_link(self, item: Page) -> str:
        return item.full_url

    def item_pubdate(self, item: Page) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Page) -> datetime | None:
        return item.last_published_at or item.first_published_at

    def item_categories(self, item: Page) -> list[str]:
        category: Any = getattr(item, "category", None) or getattr(item, "sector", None)
        return [category.name] if category is not None else []

    def feed_extra_kwargs(self, subject: FeedSubject) -> dict[str, Any]:
        return {"since": subject.since, "hub": websub_hub()}


class SectionAtomFeed(SectionFeed):
    feed_type = PortalAtom1Feed
    url_name = "feed_atom"
    subtitle = SectionFeed.description
