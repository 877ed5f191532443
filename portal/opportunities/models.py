from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class FranchiseIndexPage(ListingIndexPage):
    listing_model = "opportunities.FranchiseListingPage"
    category_lookup = "sector"
    region_lookup = "territories"
    listing_related = ("sector",)
    listing_nouns = ("franchise", "franchises")
    subpage_types = ["opportunities.FranchiseListingPage"]
    home_teasers = 3

    class Meta:
        verbose_name = "franchise section"


class FranchiseListingPage(PortalPage):
    brand = models.CharField(max_length=255)
    sector = models.ForeignKey("core.Category", on_delete=models.RESTRICT, related_name="+")
    summary = models.TextField(max_length=500)
    description = models.TextField(blank=True, help_text="Plain text; line breaks are kept.")
    currency = models.CharField(max_length=3)
    investment_min = models.DecimalField("total investment from", **MONEY)
    investment_max = models.DecimalField("total investment up to", **MONEY)
    franchise_fee = models.DecimalField(**MONEY)
    royalty_percent = models.DecimalField(
        "royalty (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    units_available = models.PositiveIntegerField()
    territories = ParentalManyToManyField("core.Region", blank=True, related_name="+")
    year_founded = models.PositiveIntegerField(
        validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    support = models.TextField(blank=True, help_text="Ongoing support the franchisor provides.")
    training = models.TextField(blank=True, help_text="Initial training offered.")
    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The franchisor's company page: its members receive the enquiries.",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("brand"), FieldPanel("sector")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("currency"),
                        FieldPanel("franchise_fee"),
                        FieldPanel("royalty_percent"),
                    ]
                ),
                FieldRowPanel([FieldPanel("investment_min"), FieldPanel("investment_max")]),
            ],
            heading="Money",
        ),
        FieldRowPanel([FieldPanel("units_available"), FieldPanel("year_founded")]),
        FieldPanel("territories"),
        FieldRowPanel([FieldPanel("support"), FieldPanel("training")]),
        FieldPanel("company"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("brand"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("sector"),
    ]
    parent_page_types = ["opportunities.FranchiseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "franchise listing"

    def clean(self) -> None:
        super().clean()
        if (
            self.investment_min is not None
            and self.investment_max is not None
            and self.investment_max < self.investment_min
        ):
            raise ValidationError({"investment_max": "Must not be below the lower end."})


class InvestmentIndexPage(ListingIndexPage):
    listing_model = "opportunities.InvestmentOpportunityPage"
    category_lookup = "sector"
    region_lookup = "region"
    ordering = ("deadline", "-pk")
    listing_related = ("sector", "region")
    listing_nouns = ("opportunity", "opportunities")
    subpage_types = ["opportunities.InvestmentOpportunityPage"]
    home_teasers = 3

    class Meta:
        verbose_name = "investment section"

    @classmethod
    def current_filter(cls) -> models.Q:
        return models.Q(deadline__gte=date.today())


class InvestmentOpportunityPage(PortalPage):
    DEAL_TYPES = [
        ("equity", "Equity"),
        ("debt", "Debt financing"),
        ("joint-venture", "Joint venture"),
        ("acquisition", "Acquisition"),
        ("project-finance", "Project finance"),
    ]
    STAGES = [
        ("concept", "Concept"),
        ("feasibility", "Feasibility study done"),
        ("permitted", "Permitted"),
        ("construction", "Under construction"),
        ("operating", "Operating"),
        ("expansion", "Expansion"),
    ]

    sector = models.ForeignKey("core.Category", on_delete=models.RESTRICT, related_name="+")
    deal_type = models.CharField(max_length=20, choices=DEAL_TYPES)
    stage = models.CharField(max_length=20, choices=STAGES)
    amount_sought = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    region = models.ForeignKey("core.Region", on_delete=models.RESTRICT, related_name="+")
    deadline = models.DateField(default=date.today)
    summary = models.TextField(max_length=500)
    description = models.TextField(blank=True, help_text="Plain text; line breaks are kept.")
    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("sector"), FieldPanel("region")]),
        FieldRowPanel([FieldPanel("deal_type"), FieldPanel("stage")]),
        FieldRowPanel(
            [FieldPanel("amount_sought"), FieldPanel("currency"), FieldPanel("deadline")]
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("company"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("sector"),
        index.FilterField("region"),
        index.FilterField("deal_type"),
    ]
    parent_page_types = ["opportunities.InvestmentIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "investment opportunity"
