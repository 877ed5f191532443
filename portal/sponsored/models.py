"""Sponsored placement: paid slots for a listing or a company at the top of the board and of
search results, the association's own house ads per section, and their daily counts.

A sponsorship always names on whose behalf it runs and who paid for it: the slot shows both
next to the label "Sponsored" (EU DSA Art. 26), apart from the organic ranking.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.models import Page, Site

from portal.board.models import TradeListingPage
from portal.core.models import ListingIndexPage
from portal.directory.models import CompanyPage


def belongs_to(page: Page | None, site: Site | None, home_too: bool = False) -> bool:
    """Whether ``page`` is a page of the portal at ``site``: below its home page (or the
    home page itself, with ``home_too``)."""
    if page is None or site is None:
        return False
    root = site.root_page
    return page.path.startswith(root.path) and (page.depth > root.depth or home_too)


class Scheduled(models.Model):
    """Shown from ``starts_on`` to ``ends_on``, both days included."""

    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", help_text="The last day it shows.")

    class Meta:
        abstract = True

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clean_dates(self) -> dict[str, str]:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            return {"ends_on": "The end date must not be before the start date."}
        return {}

    @classmethod
    def running_on(cls, day: date) -> Q:
        return Q(starts_on__lte=day, ends_on__gte=day)


class SponsorshipQuerySet(models.QuerySet):
    def running(self, day: date) -> "SponsorshipQuerySet":
        """Sponsorships scheduled on ``day`` whose page is live (a listing also open)."""
        open_listings = TradeListingPage.objects.open().values("pk")
        live_companies = CompanyPage.objects.live().public().values("pk")
        return self.filter(Scheduled.running_on(day)).filter(
            Q(page__in=open_listings) | Q(page__in=live_companies)
        )


class Sponsorship(Scheduled):
    """A listing or a company of the portal, featured in the sponsored slots for a while."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        Page,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="featured page",
        help_text="A board listing or a company page of the portal.",
    )
    on_board = models.BooleanField("board home", default=True)
    on_categories = models.BooleanField(
        "category pages",
        default=True,
        help_text="The board's pages of the page's categories and of their parents.",
    )
    on_search = models.BooleanField("search results", default=True)
    advertiser = models.CharField(
        "on behalf of", max_length=160, help_text="Who the advertisement runs for."
    )
    payer = models.CharField("paid by", max_length=160, help_text="Who paid for it.")
    payment_reference = models.CharField(max_length=80, blank=True)
    uses_plan_slot = models.BooleanField(
        "uses a plan's featured slot",
        default=False,
        help_text="Counts against the featured slots of the company's plan.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="sponsorship_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page.title} ({self.starts_on} to {self.ends_on})"

    @property
    def featured(self) -> Page:
        return self.page.specific

    @property
    def company(self) -> CompanyPage | None:
        """The company whose plan a featured slot counts against."""
        featured = self.featured
        if isinstance(featured, CompanyPage):
            return featured
        if isinstance(featured, TradeListingPage) and featured.company_id:
            return CompanyPage.objects.filter(pk=featured.company_id).first()
        return None

    def clean(self) -> None:
        errors = self.clean_dates()
        if self.page_id and self.site_id:
            featured = self.featured
            if not isinstance(featured, TradeListingPage | CompanyPage):
                errors["page"] = "Choose a board listing or a company page."
            elif not belongs_to(featured, self.site):
                errors["page"] = "Choose a page of this portal."
            elif isinstance(featured, TradeListingPage) and not featured.is_open:
                errors["page"] = "This listing is closed or not published."
            elif not featured.live:
                errors["page"] = "This page is not published."
        if not (self.on_board or self.on_categories or self.on_search):
            errors["on_board"] = "Choose at least one place to show it."
        if self.uses_plan_slot and self.page_id and self.company is None:
            errors["uses_plan_slot"] = "This listing names no company with a plan."
        if errors:
            raise ValidationError(errors)


class HouseAd(Scheduled):
    """The association's own advertisement in a section's slot, edited by its editors."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        Page,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The section whose list shows it.",
    )
    title = models.CharField(max_length=120)
    text = models.CharField("short text", max_length=300, blank=True, help_text="Plain text.")
    link_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A page of the portal, or a web address below.",
    )
    link_url = models.URLField("web address", blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="house_ad_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return self.link_page.url if self.link_page_id and self.link_page else self.link_url

    def clean(self) -> None:
        errors = self.clean_dates()
        if self.section_id and self.site_id:
            section = self.section.specific
            if not isinstance(section, ListingIndexPage) or not belongs_to(section, self.site):
                errors["section"] = "Choose a section of this portal."
        if bool(self.link_page_id) == bool(self.link_url):
            errors["link_url"] = "Give either a page of the portal or a web address."
        elif self.link_page_id and not belongs_to(self.link_page, self.site, home_too=True):
            errors["link_page"] = "Choose a page of this portal."
        if errors:
            raise ValidationError(errors)


class DailyCount(models.Model):
    """Impressions and clicks of one sponsorship or house ad on one day."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    sponsorship = models.ForeignKey(
        Sponsorship, null=True, blank=True, on_delete=models.CASCADE, related_name="counts"
    )
    house_ad = models.ForeignKey(
        HouseAd, null=True, blank=True, on_delete=models.CASCADE, related_name="counts"
    )
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sponsorship", "day"],
                condition=Q(sponsorship__isnull=False),
                name="one_count_per_sponsorship_and_day",
            ),
            models.UniqueConstraint(
                fields=["house_ad", "day"],
                condition=Q(house_ad__isnull=False),
                name="one_count_per_house_ad_and_day",
            ),
            models.CheckConstraint(
                condition=Q(sponsorship__isnull=False, house_ad__isnull=True)
                | Q(sponsorship__isnull=True, house_ad__isnull=False),
                name="count_of_one_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sponsorship or self.house_ad} on {self.day}"
