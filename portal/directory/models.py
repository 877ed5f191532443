from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page, Site
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage
from portal.rendering import per_build
from portal.syndication import structured

from . import dates
from .verified import VerifiedFilter


class DirectoryIndexPage(VerifiedFilter, ListingIndexPage):
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


VERIFICATION_SUMMARY = ("verified_by", "verification_scope", "verified_on", "verification_expires")


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
        """Whether the "Verified" badge shows on ``on`` (today): the company has a current
        registration check (see ``checks.py``; the ``verified_*`` fields summarise it, kept by
        the checks, never by editors). It lapses by date."""
        on = on or dates.today()
        return bool(
            self.verified_on
            and self.verified_on <= on
            and (not self.verification_expires or self.verification_expires >= on)
        )

    def current_checks(
        self, on: date | None = None, request: HttpRequest | None = None
    ) -> list["VerificationCheck"]:
        """The checks the public badge lists: current on ``on`` (today), registration first,
        then address, authority and site visit, the newest first within each. A bulk static
        build reads those of every company of the portal at once."""
        on = on or dates.today()
        every = per_build(
            request,
            ("current-checks", on),
            lambda: _grouped(
                VerificationCheck.objects.current(on).filter(site=Site.find_for_request(request))
            ),
        )
        if every is not None:
            checks = every.get(self.pk, [])
        else:
            checks = list(self.verification_checks.current(on))
        order = list(CheckScope.values)
        return sorted(checks, key=lambda check: (order.index(check.scope), _newest(check)))

    def with_content_json(self, content: dict) -> "CompanyPage":
        """A revision restores what editors wrote, never the verification summary: that is
        the checks' (a revision made before a check must not undo it)."""
        page = super().with_content_json(content)
        for name in VERIFICATION_SUMMARY:
            setattr(page, name, getattr(self, name))
        return page

    def json_ld(self, request: HttpRequest | None = None) -> dict:
        """The company as a schema.org ``Organization``: name, profile, place, logo and
        website; never a contact detail."""
        address = structured.thing(
            "PostalAddress", addressLocality=self.city, addressCountry=self.country
        )
        return structured.document(
            structured.organization(
                self.title,
                self.get_full_url(request),
                description=structured.text(self.profile),
                logo=structured.image_url(self),
                address=address,
                foundingDate=str(self.year_established) if self.year_established else None,
                sameAs=[self.website] if self.website else None,
            )
        )

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.certifications, list) or not all(
            isinstance(c, str) for c in self.certifications
        ):
            raise ValidationError({"certifications": 'Enter a list of names, e.g. ["ISO 9001"].'})


def _newest(check: "VerificationCheck") -> tuple:
    return (-check.checked_on.toordinal(), -check.pk)


def _grouped(checks: models.QuerySet) -> dict[int, list["VerificationCheck"]]:
    """``checks`` by company id."""
    found: dict[int, list[VerificationCheck]] = {}
    for check in checks:
        found.setdefault(check.company_id, []).append(check)
    return found


from .checks import CheckScope, VerificationCheck  # noqa: E402  (a model of this app)
from .requests import RequestStatus, VerificationRequest  # noqa: E402

__all__ = [
    "CheckScope",
    "CompanyPage",
    "DirectoryIndexPage",
    "RequestStatus",
    "VerificationCheck",
    "VerificationRequest",
]
