"""The search page's facets applied to a resource's pages, with the portal's own values
(category slugs, region codes, price ranges) checked: a value the portal does not have is a
400 naming the parameter, never an empty list that looks like an answer."""

import operator
from functools import reduce

from django.db import models
from wagtail.models import Site

from portal.core.models import Category, Region
from search.params import price_buckets_for
from search.query import clean_text, since

from .errors import BadParameter
from .filters import Filters
from .resources import Resource

SORTS = {"newest": ("-first_published_at", "-pk")}


def _unknown(parameter: str, wanted: list[str], found: set[str]) -> None:
    missing = [value for value in wanted if value not in found]
    if missing:
        raise BadParameter(parameter, f"Unknown {parameter} {missing[0]!r} on this portal.")


def category_ids(site: Site, slugs: list[str]) -> list[int]:
    """The categories ``slugs`` name and their children (a parent matches its family)."""
    rows = Category.objects.filter(site=site).filter(
        models.Q(slug__in=slugs) | models.Q(parent__slug__in=slugs)
    )
    found = list(rows.values_list("pk", "slug"))
    _unknown("category", slugs, {slug for _, slug in found})
    return [pk for pk, _ in found]


def region_ids(site: Site, codes: list[str]) -> list[int]:
    found = list(Region.objects.filter(site=site, code__in=codes).values_list("pk", "code"))
    _unknown("region", codes, {code for _, code in found})
    return [pk for pk, _ in found]


def price_q(site: Site, field: str, keys: list[str]) -> models.Q:
    """Any of the price ranges ``keys`` (as the portal's search page names them)."""
    buckets = {key: (low, high) for key, low, high, _ in price_buckets_for(site)}
    _unknown("price", keys, set(buckets))
    conditions = []
    for key in dict.fromkeys(keys):
        low, high = buckets[key]
        condition = models.Q(**{f"{field}__isnull": False})
        if low is not None:
            condition &= models.Q(**{f"{field}__gte": low})
        if high is not None:
            condition &= models.Q(**{f"{field}__lt": high})
        conditions.append(condition)
    return reduce(operator.or_, conditions)


def apply(resource: Resource, site: Site, params: Filters) -> models.QuerySet:
    """The resource's current pages in ``site`` that ``params`` choose, in the order asked."""
    pages = resource.current(site)
    chosen = params.model_dump()

    def values(name: str) -> list[str]:  # as the search page: blank values choose nothing
        found = [value.strip() for value in chosen.get(name) or [] if value.strip()]
        if not all(value.isprintable() for value in found):
            raise BadParameter(name, f"No {name} has control characters in its name.")
        return found

    if text := clean_text(chosen.get("q", "")):
        pages = pages.filter(title__icontains=text)
    if kinds := chosen.get("kind"):
        pages = pages.filter(reduce(operator.or_, (resource.kinds[k] for k in set(kinds))))
    if slugs := values("category"):
        pages = pages.filter(**{f"{resource.category}__in": category_ids(site, slugs)})
    if codes := values("region"):
        pages = pages.filter(**{f"{resource.region}__in": region_ids(site, codes)})
    if keys := values("price"):
        pages = pages.filter(price_q(site, resource.price, keys))
    if posted := chosen.get("posted"):
        pages = pages.filter(**{f"{resource.posted}__gte": since(posted)})
    if (slugs or codes) and resource.many_to_many:
        pages = pages.distinct()
    sort = chosen.get("sort", "relevance")
    if sort == "newest":
        pages = pages.order_by(*SORTS["newest"])
    elif sort in ("price_asc", "price_desc"):
        price = models.F(resource.price)
        first = price.asc(nulls_last=True) if sort == "price_asc" else price.desc(nulls_last=True)
        pages = pages.order_by(first, "-pk")
    return pages
