from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage


class DirectoryIndexPage(ListingIndexPage):
    listing_model = "directory.CompanyPage"
    category_lookup = "categories"
    region_lookup = "region"
    ordering = ("title", "pk")
    listing_related = ("region", "logo")
    listing_nouns = ("company", "companies")
    subpage_types = ["directory.CompanyPage"]
    per_page = 24

    class Meta:
        verbose_name = "company directory"


class CompanyPage(PortalPage):
    """A company's public profile. Contact details are never shown here."""

    SIZES = [
        ("1-9", "1–9"),
        ("10-49", "10–49"),
        ("50-249", "50–249"),
        ("250-999", "250–999"),
        ("1000+", "1,000 or more"),
    ]

    profile = models.TextField(help_text="What the company does; plain text.")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(max_length=100)
    city = models.CharField(max_length=100, blank=True)
    region = models.ForeignKey("core.Region", on_delete=models.RESTRICT, related_name="+")
    website = models.URLField(blank=True)
    year_established = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    employees = models.CharField(max_length=10, choices=SIZES, blank=True)
    categories = ParentalManyToManyField("core.Category", blank=True, related_name="companies")
    certifications = models.JSONField(
        default=list, blank=True, help_text='e.g. ["ISO 9001", "ISO 14001"]'
    )
    verified_by = models.CharField(
        max_length=255, blank=True, help_text="Who checked this company (organisation or person)."
    )
    verification_scope = models.CharField(
        max_length=255, blank=True, help_text="What was checked, e.g. registration, site visit."
    )
    verified_on = models.DateField(null=True, blank=True)
    verification_expires = models.DateField(null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("profile"),
        FieldPanel("logo"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("city"), FieldPanel("region")]),
        FieldRowPanel(
            [FieldPanel("website"), FieldPanel("year_established"), FieldPanel("employees")]
        ),
        FieldPanel("categories"),
        FieldPanel("certifications"),
        MultiFieldPanel(
            [
                FieldPanel("verified_by"),
                FieldPanel("verification_scope"),
                FieldRowPanel([FieldPanel("verified_on"), FieldPanel("verification_expires")]),
            ],
            heading="Verification",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("profile"),
        index.SearchField("city"),
        index.SearchField("country"),
        index.FilterField("region"),
    ]
    parent_page_types = ["directory.DirectoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "company"
        verbose_name_plural = "companies"

    def is_verified(self, on: date | None = None) -> bool:
        """Whether the "Verified" badge shows on ``on`` (today): it lapses by date."""
        on = on or date.today()
        return bool(
            self.verified_on and (not self.verification_expires or self.verification_expires >= on)
        )

    def clean(self) -> None:
        super().clean()
        if (
            self.verified_on
            and self.verification_expires
            and self.verification_expires < self.verified_on
        ):
            raise ValidationError({"verification_expires": "Must be after the verification date."})
        if self.verified_on and not self.verified_by:
            raise ValidationError({"verified_by": "Say who verified the company."})
        if not isinstance(self.certifications, list) or not all(
            isinstance(c, str) for c in self.certifications
        ):
            raise ValidationError({"certifications": 'Enter a list of names, e.g. ["ISO 9001"].'})
