from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage
from portal.core.models.settings import INCOTERMS

POSITIVE = [MinValueValidator(Decimal("0.001"))]


class BoardIndexPage(ListingIndexPage):
    """The supply & demand board: sell offers and buy requests side by side."""

    listing_model = "board.TradeListingPage"
    listing_related = ("category", "region")
    subpage_types = ["board.SellOfferPage", "board.BuyRequestPage"]
    home_teasers = 6

    class Meta:
        verbose_name = "market board"

    def current(self) -> models.Q:
        return TradeListingPage.current()


class TradeListingPage(PortalPage):
    """What sell offers and buy requests share; never created on its own."""

    KIND_SELL = "sell"
    KIND_BUY = "buy"
    KIND_CHOICES = [(KIND_SELL, "Sell offer"), (KIND_BUY, "Buy request")]

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

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("category"),
        index.FilterField("region"),
        index.FilterField("valid_until"),
    ]
    parent_page_types = ["board.BoardIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    region_label = "Region"
    expiry_setting = "sell_offer_days"

    class Meta:
        verbose_name = "trade listing"

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

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.price_min and self.price_max and self.price_max < self.price_min:
            errors["price_max"] = "The upper end must not be below the price."
        if (self.price_min or self.price_max) and not self.currency:
            errors["currency"] = "Say which currency the price is in."
        if self.price_max and not self.price_min:
            errors["price_min"] = "Give the lower end of the range too."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.kind = self.listing_kind
        if not self.valid_until:
            self.valid_until = self.default_valid_until()
        return super().save(*args, **kwargs)

    @staticmethod
    def current() -> models.Q:
        """Listings still valid today (expired ones are unpublished by the expiry job)."""
        return models.Q(valid_until__gte=date.today())

    @property
    def listing_kind(self) -> str:
        return self.kind

    @property
    def has_price(self) -> bool:
        return self.price_min is not None


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

    def clean(self) -> None:
        super().clean()
        if self.moq and self.quantity and self.moq > self.quantity:
            raise ValidationError({"moq": "The minimum order cannot exceed the quantity offered."})


class BuyRequestPage(TradeListingPage):
    required_by = models.DateField("needed by", null=True, blank=True)

    region_label = "Delivery region"
    content_panels = TradeListingPage.listing_panels([FieldPanel("required_by")])
    is_creatable = True
    listing_kind = TradeListingPage.KIND_BUY
    expiry_setting = "buy_request_days"

    class Meta:
        verbose_name = "buy request"
