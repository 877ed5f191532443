"""Enquiries buyers and investors send from a franchise or an investment page: stored
privately, relayed by email to the company behind the page (or to the portal's moderators)."""

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.models import Page, Site

from portal.defences.forms import duplicate_key
from portal.members.leads import LeadState


class Timeline(models.TextChoices):
    NOW = "now", "Ready now"
    QUARTER = "3m", "Within 3 months"
    HALF = "6m", "Within 6 months"
    YEAR = "12m", "Within a year"
    LATER = "later", "Later / exploring"


class EnquiryQuerySet(models.QuerySet):
    def for_company(self, company) -> "EnquiryQuerySet":
        return self.filter(company=company)


class Enquiry(LeadState):
    """An enquiry about a franchise or an investment opportunity."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        help_text="Whose members it went to; empty: the portal's moderators.",
    )
    name = models.CharField(max_length=120)
    email = models.EmailField()
    company_name = models.CharField("company", max_length=160, blank=True)
    message = models.TextField()
    amount = models.DecimalField(
        "capital available",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(max_length=3, blank=True)
    timeline = models.CharField(max_length=10, choices=Timeline.choices, blank=True)
    territory = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="preferred territory",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    relayed_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest = models.CharField(max_length=64, db_index=True, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.name} about {self.page.title}"

    def save(self, *args, **kwargs):
        self.digest = duplicate_key(self.page_id, self.email, self.message)
        super().save(*args, **kwargs)
