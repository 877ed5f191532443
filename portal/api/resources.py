"""The resources the API lists: which pages, how the search page's facets apply to them, and
how they are given. Lists show what the section lists (``current_filter``: open listings,
upcoming events...); a detail shows any live, public page, except what the section retires
(a closed or expired listing is gone)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from pydantic import BaseModel
from wagtail.models import Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import Category, ListingIndexPage, Region
from portal.directory.models import CompanyPage, DirectoryIndexPage
from portal.events.documents import KIND_OF
from portal.events.models import EventIndexPage, EventPage
from portal.news.models import NewsArticlePage, NewsIndexPage
from portal.opportunities.models import (
    FranchiseIndexPage,
    FranchiseListingPage,
    InvestmentIndexPage,
    InvestmentOpportunityPage,
)
from portal.prices.models import PriceIndexPage, PriceSeriesPage

from . import filters, schemas, serialize

ITEM_FIELDS = ("title", "url_path", "first_published_at")
Serializer = Callable[[Any, serialize.Links, bool], dict[str, Any]]


@dataclass(frozen=True)
class Resource:
    name: str  # its path: /api/v1/<name>/
    noun: str
    model: type[models.Model]
    section: type[ListingIndexPage]
    filters: type[filters.Filters]
    out: type[BaseModel]
    detail: type[BaseModel]
    give: Serializer
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    detail_prefetch: tuple[str, ...] = ()
    category: str | None = None  # the lookup a category filter applies to (ids)
    region: str | None = None  # the lookup a region filter applies to (ids)
    price: str | None = None  # the field price ranges and price sorts read
    posted: str = "first_published_at"  # the date the "posted" facet reads
    kinds: dict[str, models.Q] = field(default_factory=dict)
    # What a list shows of each page (and of the related rows): the rest is not loaded.
    fields: tuple[str, ...] = ()
    # ``give`` for a list's rows as ``values()`` of ``fields`` (no model instances), if any.
    give_row: Serializer | None = None

    @property
    def many_to_many(self) -> bool:
        """Whether a category or region filter goes through a many-to-many (so rows repeat)."""
        return any(
            lookup and self.model._meta.get_field(lookup.split("__")[0]).many_to_many
            for lookup in (self.category, self.region)
        )

    def pages(self, site: Site) -> models.QuerySet:
        """Live, public pages of the resource in the portal of ``site``."""
        return (
            self.model.objects.live()
            .public()
            .descendant_of(site.root_page)
            .select_related(*self.related)
        )

    def current(self, site: Site) -> models.QuerySet:
        """What the section lists, in its own order."""
        return (
            self.pages(site).filter(self.section.current_filter()).order_by(*self.section.ordering)
        )

    def load(self, ids: list[int]) -> dict[int, Any]:
        """The pages ``ids`` with what a list shows of them, by id, in a query or two (as
        rows of ``values()`` for a resource that gives rows)."""
        if self.give_row is not None:
            rows = self.model.objects.filter(pk__in=ids).values("pk", *ITEM_FIELDS, *self.fields)
            return {row["pk"]: row for row in rows}
        pages = (
            self.model.objects.filter(pk__in=ids)
            .select_related(*self.related)
            .only(*ITEM_FIELDS, *self.fields)
            .prefetch_related(*(_terms_only(self.model, name) for name in self.prefetch))
        )
        return {page.pk: page for page in pages}

    def shown(self, site: Site) -> models.QuerySet:
        """What a detail may show: the section's retired items are gone."""
        pages = self.pages(site)
        return pages.filter(self.section.current_filter()) if self.section.retires_items else pages


# What a list shows of a category or a region (``serialize.term``): the rest is not loaded.
TERM_FIELDS = {Category: ("id", "slug", "name"), Region: ("id", "code", "name")}


def _terms_only(model: type[models.Model], name: str) -> str | models.Prefetch:
    """A prefetch of categories or regions with only the columns a list shows of them."""
    related = model._meta.get_field(name).related_model
    if related in TERM_FIELDS:
        return models.Prefetch(name, queryset=related.objects.only(*TERM_FIELDS[related]))
    return name


LISTINGS = Resource(
    name="listings",
    noun="listing",
    model=TradeListingPage,
    section=BoardIndexPage,
    filters=filters.ListingFilters,
    out=schemas.ListingOut,
    detail=schemas.ListingOut,
    give=serialize.listing,
    give_row=serialize.listing_row,
    related=("category", "region", "company", "sellofferpage", "buyrequestpage"),
    category="category",
    region="region",
    price="price_min",
    kinds={"sell": models.Q(kind="sell"), "buy": models.Q(kind="buy")},
    fields=(
        "kind",
        "description",
        "quantity",
        "unit",
        "price_min",
        "price_max",
        "currency",
        "incoterm",
        "valid_until",
        "category__slug",
        "category__name",
        "region__code",
        "region__name",
        "company",
        "company__title",
        "company__live",
        "company__url_path",
        "sellofferpage__moq",
        "sellofferpage__specification",
        "buyrequestpage__required_by",
    ),
)
COMPANIES = Resource(
    name="companies",
    noun="company",
    model=CompanyPage,
    section=DirectoryIndexPage,
    filters=filters.CompanyFilters,
    out=schemas.CompanyOut,
    detail=schemas.CompanyOut,
    give=serialize.company,
    related=("region",),
    prefetch=("categories",),
    category="categories",
    region="region",
    fields=(
        "profile",
        "country",
        "city",
        "year_established",
        "employees",
        "certifications",
        "verified_on",
        "verification_expires",
        "region__code",
        "region__name",
    ),
)
NEWS = Resource(
    name="news",
    noun="article",
    model=NewsArticlePage,
    section=NewsIndexPage,
    filters=filters.NewsFilters,
    out=schemas.NewsOut,
    detail=schemas.NewsDetail,
    give=serialize.news,
    prefetch=("categories",),
    category="categories",
    posted="date",
    kinds={"report": models.Q(kind=NewsArticlePage.REPORT)},
    fields=tuple(["kind", "date", "author", "summary"]),
)
EVENTS = Resource(
    name="events",
    noun="event",
    model=EventPage,
    section=EventIndexPage,
    filters=filters.EventFilters,
    out=schemas.EventOut,
    detail=schemas.EventDetail,
    give=serialize.event,
    related=("region",),
    detail_prefetch=("exhibitors",),
    region="region",
    kinds={kind: models.Q(attendance=attendance) for attendance, kind in KIND_OF.items()},
    fields=(
        "summary",
        "start_date",
        "end_date",
        "attendance",
        "status",
        "venue",
        "city",
        "country",
        "organiser",
        "website",
        "online_url",
        "region__code",
        "region__name",
    ),
)
FRANCHISES = Resource(
    name="franchises",
    noun="franchise",
    model=FranchiseListingPage,
    section=FranchiseIndexPage,
    filters=filters.FranchiseFilters,
    out=schemas.FranchiseOut,
    detail=schemas.FranchiseDetail,
    give=serialize.franchise,
    related=("sector",),
    prefetch=("territories",),
    category="sector",
    price="investment_min",
    fields=(
        "brand",
        "summary",
        "currency",
        "investment_min",
        "investment_max",
        "franchise_fee",
        "royalty_percent",
        "units_available",
        "year_founded",
        "sector__slug",
        "sector__name",
    ),
)
INVESTMENTS = Resource(
    name="investments",
    noun="investment opportunity",
    model=InvestmentOpportunityPage,
    section=InvestmentIndexPage,
    filters=filters.InvestmentFilters,
    out=schemas.InvestmentOut,
    detail=schemas.InvestmentDetail,
    give=serialize.investment,
    related=("sector", "region", "company"),
    category="sector",
    region="region",
    price="amount_sought",
    fields=(
        "deal_type",
        "stage",
        "amount_sought",
        "currency",
        "deadline",
        "summary",
        "sector__slug",
        "sector__name",
        "region__code",
        "region__name",
        "company__title",
        "company__live",
        "company__url_path",
    ),
)
PRICES = Resource(
    name="prices",
    noun="price series",
    model=PriceSeriesPage,
    section=PriceIndexPage,
    filters=filters.PriceSeriesFilters,
    out=schemas.PriceSeriesOut,
    detail=schemas.PriceSeriesDetail,
    give=serialize.price_series,
    related=("category", "region"),
    category="category",
    region="region",
    fields=(
        "key",
        "specification",
        "incoterm",
        "unit",
        "currency",
        "frequency",
        "category__slug",
        "category__name",
        "region__code",
        "region__name",
    ),
)

RESOURCES = (LISTINGS, COMPANIES, NEWS, EVENTS, FRANCHISES, INVESTMENTS, PRICES)
