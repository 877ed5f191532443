"""Membership plans of a portal, the plan each company is on, and what it paid.

Plans come from the industry file (``industries/launch/plans.py``); staff assign them to
companies in the admin (a :class:`Subscription`, kept as history) and record payments. The
plan in force on a day is worked out by date (``current.py``), so a lapsed plan falls back to
the free one without a job.
"""

from django.conf import settings
from django.db import models
from wagtail.models import Site

QUOTA_FIELDS = ("live_listings", "quotes_per_week", "featured_slots", "catalogue_size")


def _quota(verbose_name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, help_text="Empty: unlimited."
    )


class Plan(models.Model):
    """A plan offered on one portal, as its industry file defines it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    is_free = models.BooleanField(default=False)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    period_months = models.PositiveSmallIntegerField(default=12)
    live_listings = _quota("live listings")
    quotes_per_week = _quota("quotes per week")
    featured_slots = _quota("featured slots")
    catalogue_size = _quota("catalogue size")
    position = models.PositiveSmallIntegerField(default=0)
    offered = models.BooleanField(
        default=True,
        help_text="Plans removed from the industry file but still held by companies are kept, "
        "not offered for new assignments.",
    )

    class Meta:
        ordering = ["site", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="plan_key_per_site")]

    def __str__(self) -> str:
        return self.name

    def limit(self, quota: str) -> int | None:
        """The plan's limit for ``quota`` (None: unlimited)."""
        if quota not in QUOTA_FIELDS:
            raise ValueError(f"Unknown quota {quota!r}")
        return getattr(self, quota)


class Subscription(models.Model):
    """A plan assigned to a company for a period. Rows are never overwritten by a later
    assignment: the newest one covering a day is the plan in force that day."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "directory.CompanyPage", on_delete=models.CASCADE, related_name="plan_subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.RESTRICT, related_name="subscriptions")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day the plan is in force.")
    payment_reference = models.CharField(
        max_length=100, blank=True, help_text="E.g. the bank transfer's reference."
    )
    provider = models.CharField(max_length=50, default="manual")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "plan assignment"
        indexes = [models.Index(fields=["company", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.company} – {self.plan} ({self.starts_on} to {self.ends_on})"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    REFUNDED = "refunded", "Refunded"


class Payment(models.Model):
    """A payment for a plan, as its provider reported it (for bank transfers: staff)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "directory.CompanyPage", on_delete=models.CASCADE, related_name="plan_payments"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    provider = models.CharField(max_length=50, default="manual")
    reference = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount} {self.currency} ({self.get_status_display()})"


class QuotaLock(models.Model):
    """One row per company, locked while a quota is checked and the thing counted created,
    so that two requests of one company cannot both pass the last free slot."""

    company = models.OneToOneField(
        "directory.CompanyPage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Quota lock of company {self.company_id}"


class Reminder(models.Model):
    """A renewal reminder sent for a subscription, so each is sent once."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "days_before"], name="one_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.subscription_id}"


class PaymentTerms(models.Model):
    """What a portal tells members about paying (from its industry file)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+")
    payment_instructions = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "payment terms"

    def __str__(self) -> str:
        return f"Payment terms of {self.site}"
