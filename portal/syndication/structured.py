"""schema.org data (JSON-LD) and the social card of a page, as plain dicts.

Each page type says what it is with a ``json_ld(request)`` method built from the helpers here
(an ``Offer``, a ``Demand``, an ``Organization``, a ``NewsArticle``); this module adds what
every page has alike: its ``BreadcrumbList``, and a portal home page's ``WebSite`` with its
``SearchAction``. Templates embed every dict with the one macro of
``includes/json_ld.html`` (Jinja2's ``tojson``, which escapes ``<``, ``>``, ``&`` and ``'``:
no text an editor enters can close the ``<script>`` element).

Every address is absolute and made from the portal's site (never the request's ``Host``), as
canonical links are: the static copy shows the same data, at the addresses its export gives
the portal. Contact details (email, telephone) are never part of it.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from wagtail.models import Page, Site

from portal.core.context import portal_for_request

CONTEXT = "https://schema.org"
DESCRIPTION_WORDS = 60
HEADLINE_CHARS = 110  # Google's limit for an article's headline
# The renditions pages already show (so the static copy holds them): their social image.
SOCIAL_IMAGES = (("image", "width-1200"), ("logo", "fill-120x120"))


def thing(kind: str, **properties: Any) -> dict[str, Any]:
    """A schema.org item of type ``kind`` with the properties that have a value."""
    data: dict[str, Any] = {"@type": kind}
    data.update({key: value for key, value in properties.items() if value not in (None, "", [])})
    return data


def document(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` as a top-level JSON-LD document."""
    return {"@context": CONTEXT, **item}


def text(value: str | None, words: int = DESCRIPTION_WORDS) -> str:
    return Truncator(value or "").words(words).strip()


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def amount(value: Decimal | None) -> str | None:
    """A price as schema.org wants it: digits and a dot, no currency."""
    if value is None:
        return None
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def site_root(page: Page) -> str:
    """The portal's address, from its site (``page``'s own, the request's when the same)."""
    site: Site | None = getattr(page, "portal_site", None) or page.get_site()
    return site.root_url if site else ""


def image_url(page: Page) -> str | None:
    """The absolute address of the page's picture (a news image, a company logo), in the
    rendition its template shows."""
    for field, spec in SOCIAL_IMAGES:
        image = getattr(page, field, None)
        if image is not None and hasattr(image, "get_rendition"):
            url = image.get_rendition(spec).url
            return url if "://" in url else site_root(page) + url
    return None


def organization(name: str, url: str | None = None, **properties: Any) -> dict[str, Any]:
    """An ``Organization`` by name and address (the ``url``); never give it contact details
    (email, telephone): visitors reach companies through the portal's forms."""
    return thing("Organization", name=name, url=url, **properties)


def portal_organization(page: Page) -> dict[str, Any]:
    """The portal that publishes ``page``, as an ``Organization``."""
    site = getattr(page, "portal_site", None) or page.get_site()
    name = site.root_page.title if site else ""
    return organization(name, site.root_url + "/" if site else None)


def price_offer(
    price: Decimal | None,
    currency: str,
    *,
    up_to: Decimal | None = None,
    **properties: Any,
) -> dict[str, Any]:
    """An ``Offer`` at ``price`` (an ``AggregateOffer`` from ``price`` to ``up_to``)."""
    if price is not None and up_to is not None and up_to != price:
        return thing(
            "AggregateOffer",
            lowPrice=amount(price),
            highPrice=amount(up_to),
            priceCurrency=currency,
            **properties,
        )
    return thing("Offer", price=amount(price), priceCurrency=currency or None, **properties)


def quantity(value: Decimal | None, unit: str) -> dict[str, Any] | None:
    if value is None:
        return None
    return thing("QuantitativeValue", value=float(value), unitText=unit)


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict[str, Any]:
    """A ``BreadcrumbList`` of ``(name, absolute url)``, home first, positions from 1."""
    return document(
        thing(
            "BreadcrumbList",
            itemListElement=[
                thing("ListItem", position=number, name=name, item=url)
                for number, (name, url) in enumerate(crumbs, start=1)
            ],
        )
    )


def website(name: str, root_url: str, description: str = "") -> dict[str, Any]:
    """A portal as a ``WebSite`` that can be searched from results pages."""
    search = root_url + reverse("search:search")
    return document(
        thing(
            "WebSite",
            name=name,
            url=root_url + "/",
            description=description,
            potentialAction=thing(
                "SearchAction",
                target=thing("EntryPoint", urlTemplate=search + "?q={search_term_string}"),
                **{"query-input": "required name=search_term_string"},
            ),
        )
    )


def page_structured_data(page: Page, request: HttpRequest | None) -> list[dict[str, Any]]:
    """Every JSON-LD document of a page: its own (``page.json_ld``), its breadcrumbs, and the
    ``WebSite`` on a portal's home page."""
    found: list[dict[str, Any]] = []
    own = getattr(page, "json_ld", None)
    if callable(own):
        data = own(request)
        found += [data] if isinstance(data, dict) else list(data or [])
    portal = portal_for_request(request)
    if portal is None or not portal.is_portal:
        return found
    root = site_root(page)
    home = portal.home
    if page.pk == home.pk:
        found.append(website(portal.name, root, portal.settings.tagline or ""))
    elif page.depth > home.depth:
        crumbs = [
            (crumb.title, crumb.get_full_url(request) or root + "/")
            for crumb in portal.breadcrumbs(page)
        ]
        crumbs.append((page.title, page.get_full_url(request) or ""))
        found.append(breadcrumb_list(crumbs))
    return found


def canonical_url(page: Page, request: HttpRequest | None) -> str:
    """The page's address; for the routes of a section (a filter, page 2), the route's."""
    root = site_root(page)
    if request is not None and hasattr(page, "resolve_subpage") and root:
        return root + request.path
    return page.get_full_url(request) or ""


def social_card(
    page: Page, request: HttpRequest | None, data: list[dict[str, Any]]
) -> dict[str, Any]:
    """What OpenGraph and Twitter cards say of a page."""
    portal = portal_for_request(request)
    description = page.search_description or ""
    for name in ("summary", "intro", "profile", "description"):
        value = getattr(page, name, "")
        if not description and isinstance(value, str):
            description = text(value, 40)
    if not description and portal is not None:
        description = portal.settings.tagline or ""
    kinds = {item.get("@type") for item in data}
    image = image_url(page)
    return {
        "title": page.seo_title or page.title,
        "description": description,
        "url": canonical_url(page, request),
        "type": "article" if "NewsArticle" in kinds else "website",
        "image": image,
        "card": "summary_large_image" if image and getattr(page, "image", None) else "summary",
    }
