"""Sell offers and buy requests, and the rules of the board: what is open, what matches."""

from datetime import date, timedelta
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page, PageManager
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage, PortalPageQuerySet
from portal.core.models.pages import NEWEST_FIRST
from portal.core.models.settings import INCOTERMS
from portal.core.models.shared import restricted_paths
from portal.core.prepared import Param, Prepared, children_of_param, prepared
from portal.rendering import per_build
from portal.syndication import structured

from .quotes import Quote
from .validators import POSITIVE


class BoardIndexPage(ListingIndexPage):
    """The supply & demand board: sell offers and buy requests side by side."""

    listing_model = "board.TradeListingPage"
    listing_related = ("category", "region")
    ordering = NEWEST_FIRST
    subpage_types = ["board.SellOfferPage", "board.BuyRequestPage"]
    home_teasers = 6
    retires_items = True  # a closed or expired listing answers 410 and leaves the static copy
    shows_items_as_cards = True

    class Meta:
        verbose_name = "market board"

    @classmethod
    def current_filter(cls) -> models.Q:
        return TradeListingPage.current()


CLOSE_REASONS = [("closed", "Closed"), ("fulfilled", "Fulfilled")]
# Listing pages of a bulk build that ask for their matches one by one before the whole
# board is grouped once (``per_build``): grouping a board of 6,300 listings costs as much as
# a thousand single lookups (0.5 s, 0.6 ms each), and a build after one change renders a
# few dozen listings at most.
GROUP_MATCHES_AFTER = 300


class TradeListingQuerySet(PortalPageQuerySet):
    def open(self, today: date | models.Expression | None = None) -> "TradeListingQuerySet":
        """Live, public, not closed and not past their date: what visitors may respond to."""
        return self.live().public().filter(TradeListingPage.current(today))


class TradeListingPage(PortalPage):
    """What sell offers and buy requests share; never created on its own."""

    KIND_SELL = "sell"
    KIND_BUY = "buy"
    KIND_CHOICES = [(KIND_SELL, "Sell offer"), (KIND_BUY, "Buy request")]
    OPPOSITE = {KIND_SELL: KIND_BUY, KIND_BUY: KIND_SELL}

    kind = models.CharField(max_length=4, choices=KIND_CHOICES, editable=False, db_index=True)
    category = models.ForeignKey(
        "core.Category", on_delete=models.RESTRICT, related_name="trade_listings"
    )
    description = models.TextField(help_text="Plain text; line breaks are kept.")
    quantity = models.DecimalField(max_digits=14, decimal_places=3, validators=POSITIVE)
    unit = models.CharField(max_length=16)
    price_min = models.DecimalField(
        "price",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="Price per unit; leave empty for 'on request'.",
    )
    price_max = models.DecimalField(
        "up to",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="Upper end of a price range (optional).",
    )
    currency = models.CharField(max_length=3, blank=True)
    incoterm = models.CharField(max_length=3, choices=INCOTERMS, blank=True)
    region = models.ForeignKey(
        "core.Region", on_delete=models.RESTRICT, related_name="trade_listings"
    )
    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trade_listings",
    )
    valid_until = models.DateField(
        db_index=True,
        blank=True,
        help_text="Leave empty for the portal's default validity (see Portal settings).",
    )
    closed_on = models.DateField(null=True, blank=True, editable=False)
    close_reason = models.CharField(
        max_length=10, choices=CLOSE_REASONS, blank=True, editable=False
    )
    reminder_sent_on = models.DateField(null=True, blank=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("category"),
        index.FilterField("region"),
        index.FilterField("valid_until"),
    ]
    objects = PageManager.from_queryset(TradeListingQuerySet)()

    parent_page_types = ["board.BoardIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    region_label = "Region"
    expiry_setting = "sell_offer_days"
    matches_shown: ClassVar[int] = 6  # on a listing's page
    route_related = ("category__parent", "region", "company")  # what its page shows

    class Meta:
        verbose_name = "listing"

    @classmethod
    def listing_panels(cls, extra: list) -> list:
        return [
            *Page.content_panels,
            FieldRowPanel([FieldPanel("category"), FieldPanel("region", heading=cls.region_label)]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit"), *extra]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("price_min"), FieldPanel("price_max")]),
                    FieldRowPanel([FieldPanel("currency"), FieldPanel("incoterm")]),
                ],
                heading="Price",
            ),
            FieldRowPanel([FieldPanel("company"), FieldPanel("valid_until")]),
        ]

    def default_valid_until(self, settings=None) -> date:
        """Today plus the portal's validity for this kind of listing."""
        settings = settings or (self.portal_settings if self.path else None)
        days = getattr(settings, self.expiry_setting, 60) if settings else 60
        return date.today() + timedelta(days=days)

    def listing_errors(self) -> dict[str, str]:
        """Rules across fields, shared by the admin and the public forms."""
        errors = {}
        if self.price_min and self.price_max and self.price_max < self.price_min:
            errors["price_max"] = "The upper end must not be below the price."
        if (self.price_min or self.price_max) and not self.currency:
            errors["currency"] = "Say which currency the price is in."
        if self.price_max and not self.price_min:
            errors["price_min"] = "Give the lower end of the range too."
        return errors

    def clean(self) -> None:
        super().clean()
        if errors := self.listing_errors():
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.kind = self.listing_kind
        if not self.valid_until:
            self.valid_until = self.default_valid_until()
        return super().save(*args, **kwargs)

    @staticmethod
    def current(today: date | models.Expression | None = None) -> models.Q:
        """Listings still valid today and open (expired ones are unpublished by the expiry job).

        ``is_open`` is the same rule for one listing in memory."""
        today = date.today() if today is None else today
        return models.Q(valid_until__gte=today, closed_on__isnull=True)

    @property
    def is_expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < date.today())

    @property
    def is_open(self) -> bool:
        """Live, not closed and not past its validity: what visitors may respond to."""
        return self.live and not self.closed_on and not self.is_expired

    def live_board(self) -> models.QuerySet:
        """Open listings of the same portal board (for matches and alternatives)."""
        return open_listings(self.get_parent()).exclude(pk=self.pk)

    @staticmethod
    def match_group_of(kind: str, category_id: int, region_id: int) -> tuple[str, int, int]:
        """The group a listing of this kind, category and region is matched with: the other
        kind, in the same category and region. Groups are keyed as ``group_of`` gives them."""
        return (TradeListingPage.OPPOSITE[kind], category_id, region_id)

    @staticmethod
    def group_of(kind: str, category_id: int, region_id: int) -> tuple[str, int, int]:
        return (kind, category_id, region_id)

    @property
    def match_group(self) -> tuple[str, int, int]:
        return self.match_group_of(self.kind, self.category_id, self.region_id)

    def matching_listings(self) -> models.QuerySet:
        """Every open listing this one matches, newest first."""
        return matching(open_listings(self.get_parent()), self.pk, *self.match_group)

    def matches(self, request: HttpRequest | None = None) -> list:
        """The matching listings a listing's page shows.

        A bulk static export groups the whole board once instead of querying for every
        listing (``per_build``), once it has rendered ``GROUP_MATCHES_AFTER`` of them.
        """
        groups = per_build(
            request,
            ("match-groups", self.path[: -self.steplen]),
            lambda: grouped_open_listings(self.get_parent()),
            after=GROUP_MATCHES_AFTER,
        )
        if groups is not None:
            return groups.get(self.match_group, [])[: self.matches_shown]
        kind, category_id, region_id = self.match_group
        return open_matches(request).run(
            today=date.today(),
            parent_path=self.path[: -self.steplen],
            depth=self.depth,
            pk=self.pk,
            kind=kind,
            category_id=category_id,
            region_id=region_id,
        )

    def similar(self, limit: int = 6) -> list["TradeListingPage"]:  # as many as a 410 page shows
        """Open listings a visitor of this (gone) listing may want instead: same kind and
        category first, then the category's family."""
        same_kind = self.live_board().filter(kind=self.kind)
        found = list(same_kind.filter(category_id=self.category_id).order_by(*NEWEST_FIRST)[:limit])
        if len(found) < limit:
            family = self.category.parent_id or self.category_id
            found += list(
                same_kind.filter(
                    models.Q(category__parent_id=family) | models.Q(category_id=family)
                )
                .exclude(pk__in=[p.pk for p in found])
                .order_by(*NEWEST_FIRST)[: limit - len(found)]
            )
        return found

    def gone_reason(self) -> str:
        if self.close_reason == "fulfilled":
            return "This listing has been fulfilled."
        if self.closed_on:
            return "This listing has been closed by its owner."
        if self.is_expired:
            return f"This listing expired on {self.valid_until:%-d %B %Y}."
        return "This listing has been withdrawn."

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list:
        return super().get_sitemap_urls(request) if self.is_open else []

    @property
    def listing_kind(self) -> str:
        return self.kind

    @property
    def has_price(self) -> bool:
        return self.price_min is not None

    def json_ld(self, request: HttpRequest | None = None) -> dict:
        """schema.org data: a sell offer's ``Offer`` of a ``Product``, a buy request's
        ``Demand``; the company by name only (no contact details)."""
        url = self.get_full_url(request)
        product = structured.thing(
            "Product",
            name=self.title,
            description=structured.text(self.description),
            category=self.category.name,
            url=url,
        )
        terms = {
            "url": url,
            "validThrough": structured.iso(self.valid_until),
            "eligibleQuantity": structured.quantity(self.quantity, self.unit),
            "areaServed": self.region.name,
        }
        if self.company_id and self.company.live:
            party = structured.organization(self.company.title, self.company.get_full_url(request))
            terms["seller" if self.kind == self.KIND_SELL else "buyer"] = party
        if self.kind == self.KIND_BUY:
            price = structured.price_offer(self.price_min, self.currency, up_to=self.price_max)
            demand = structured.thing(
                "Demand",
                name=self.title,
                description=structured.text(self.description),
                itemOffered=product,
                priceSpecification=structured.thing(
                    "PriceSpecification",
                    minPrice=price.get("lowPrice") or price.get("price"),
                    maxPrice=price.get("highPrice"),
                    priceCurrency=self.currency,
                )
                if self.has_price
                else None,
                **terms,
            )
            return structured.document(demand)
        availability = "InStock" if self.is_open else "Discontinued"
        offer = structured.price_offer(
            self.price_min,
            self.currency,
            up_to=self.price_max,
            availability=structured.CONTEXT + "/" + availability,
            **terms,
        )
        return structured.document({**product, "offers": offer})


def open_listings(
    board: Page | models.Q, today: date | models.Expression | None = None
) -> models.QuerySet:
    """The open listings of ``board`` (a page, or a condition naming its children, such as
    ``children_of_param()``) on ``today``."""
    children = TradeListingPage.objects.child_of_q(board) if isinstance(board, Page) else board
    return (
        TradeListingPage.objects.open(today).filter(children).select_related("category", "region")
    )


def matching(
    listings: models.QuerySet, pk: Any, kind: Any, category_id: Any, region_id: Any
) -> models.QuerySet:
    """The ``listings`` in the match group ``(kind, category_id, region_id)``, but the one at
    ``pk``, newest first; the values may be ``Param`` placeholders."""
    return (
        listings.exclude(pk=pk)
        .filter(kind=kind, category_id=category_id, region_id=region_id)
        .order_by(*NEWEST_FIRST)
    )


def open_matches(request: HttpRequest | None = None) -> Prepared:
    """``matching_listings()[:matches_shown]`` of a listing, prepared once per process (and
    per set of view restrictions): the listing's ``pk``, its board's ``parent_path``, its
    ``depth`` and match group (``kind``, ``category_id``, ``region_id``), and ``today`` are
    given when it runs."""

    def build() -> models.QuerySet:
        return matching(
            open_listings(children_of_param(), today=Param("today", models.DateField())),
            Param("pk", models.IntegerField()),
            Param("kind", models.CharField()),
            Param("category_id", models.IntegerField()),
            Param("region_id", models.IntegerField()),
        )[: TradeListingPage.matches_shown]

    return prepared(("listing-matches", restricted_paths(request)), build)


def grouped_open_listings(board: Page) -> dict[tuple[str, int, int], list[TradeListingPage]]:
    """Open listings of ``board`` by group, newest first: what ``TradeListingPage.matches``
    picks from."""
    groups: dict[tuple[str, int, int], list[TradeListingPage]] = {}
    for listing in open_listings(board).order_by(*NEWEST_FIRST):
        key = TradeListingPage.group_of(listing.kind, listing.category_id, listing.region_id)
        groups.setdefault(key, []).append(listing)
    return groups


class SellOfferPage(TradeListingPage):
    moq = models.DecimalField(
        "minimum order quantity",
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    specification = models.CharField(
        max_length=255, blank=True, help_text="Grade, standard or specification."
    )

    region_label = "Origin region"
    content_panels = [
        *TradeListingPage.listing_panels([FieldPanel("moq")]),
        FieldPanel("specification"),
    ]
    search_fields = [*TradeListingPage.search_fields, index.SearchField("specification")]
    is_creatable = True
    listing_kind = TradeListingPage.KIND_SELL

    class Meta:
        verbose_name = "sell offer"

    def listing_errors(self) -> dict[str, str]:
        errors = super().listing_errors()
        if self.moq and self.quantity and self.moq > self.quantity:
            errors["moq"] = "The minimum order cannot exceed the quantity offered."
        return errors


class BuyRequestPage(TradeListingPage):
    required_by = models.DateField("needed by", null=True, blank=True)

    region_label = "Delivery region"
    content_panels = TradeListingPage.listing_panels([FieldPanel("required_by")])
    is_creatable = True
    listing_kind = TradeListingPage.KIND_BUY
    expiry_setting = "buy_request_days"

    class Meta:
        verbose_name = "buy request"

    def listing_errors(self) -> dict[str, str]:
        errors = super().listing_errors()
        if self.required_by and self.required_by < date.today() and not self.pk:
            errors["required_by"] = "The date you need it by has already passed."
        return errors

    def open_quote_count(self, request: HttpRequest | None = None) -> int:
        """The quotes counted on this request. A bulk static export counts those of every
        request of the board once (``per_build``)."""
        counts = per_build(
            request,
            ("quote-counts", self.path[: -self.steplen]),
            lambda: Quote.counted_by_request(self.get_parent()),
        )
        if counts is not None:
            return counts.get(self.pk, 0)
        return self.quotes.filter(Quote.counted()).count()
