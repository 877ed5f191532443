"""Saved searches, follows and price alerts, and the record of what each one sent."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from wagtail.models import Site

INSTANT, DAILY, WEEKLY = "instant", "daily", "weekly"
FREQUENCIES = [(INSTANT, "As soon as they appear"), (DAILY, "Once a day"), (WEEKLY, "Once a week")]
# How long a digest waits after the last one (a little less than a day or a week, so a job
# that runs every hour is not pushed an hour later each time).
PERIODS = {INSTANT: timedelta(0), DAILY: timedelta(hours=23), WEEKLY: timedelta(days=6, hours=23)}

ABOVE, BELOW, CHANGE = "above", "below", "change"
DIRECTIONS = [(ABOVE, "rises above"), (BELOW, "falls below"), (CHANGE, "moves by at least (%)")]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class AlertQuerySet(models.QuerySet):
    def active(self) -> "AlertQuerySet":
        """Confirmed, not paused, not unsubscribed: the alerts that send."""
        return self.filter(
            confirmed_at__isnull=False, paused_at__isnull=True, unsubscribed_at__isnull=True
        )

    def current(self) -> "AlertQuerySet":
        """Not unsubscribed (what a member or subscriber still manages)."""
        return self.filter(unsubscribed_at__isnull=True)


class Alert(models.Model):
    """A saved search, a followed company or category, or a price series watch, of one
    portal; a member's (``membership``) or a confirmed email address's (``email``)."""

    # Keys of other rows inside the JSON fields, for backups restored into another install.
    BACKUP_JSON_KEYS = {
        "filters": {
            "categories": "core.category",
            "regions": "core.region",
            "company": "wagtailcore.page",
        },
        "excluded_regions": "core.region",
    }

    SEARCH, COMPANY, CATEGORY, PRICE = "search", "company", "category", "price"
    KINDS = [
        (SEARCH, "Saved search"),
        (COMPANY, "Followed company"),
        (CATEGORY, "Followed category"),
        (PRICE, "Price alert"),
    ]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        "members.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True, help_text="Where an alert without an account goes.")
    kind = models.CharField(max_length=8, choices=KINDS)
    label = models.CharField(max_length=200)
    source_url = models.CharField(
        max_length=500, blank=True, help_text="The search or board page it was saved from."
    )
    filters = models.JSONField(default=dict, blank=True, help_text="See filters.ListingFilter.")
    excluded_regions = models.JSONField(default=list, blank=True, help_text="Region ids.")
    company = models.ForeignKey(
        "directory.CompanyPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        "prices.PriceSeriesPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(max_length=6, choices=DIRECTIONS, blank=True)
    threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reference = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A % change alert: the value it measures from (the last one it sent).",
    )
    is_past = models.BooleanField(
        default=False, help_text="An above/below alert: the latest value is past the threshold."
    )
    frequency = models.CharField(max_length=8, choices=FREQUENCIES, default=DAILY)
    feed_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    seen_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Listings first published before then were matched by an earlier run.",
    )
    since = models.DateTimeField(
        default=timezone.now,
        help_text="Listings first published from then on are sent (set when confirmed or resumed).",
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["site", "unsubscribed_at", "paused_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def recipient(self) -> str:
        return self.membership.user.email if self.membership_id else self.email

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at and not self.paused_at and not self.unsubscribed_at)

    def is_due(self, now) -> bool:
        """Whether its next email may go now (a digest waits its period since the last)."""
        return self.last_sent_at is None or now - self.last_sent_at >= PERIODS[self.frequency]


class Delivery(models.Model):
    """One listing or price point an alert sent; recorded in the transaction that queues the
    email, so a crash or a rerun never sends it twice."""

    # Looked up by alert through the unique constraints (they start with it).
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    listing = models.ForeignKey(
        "board.TradeListingPage", null=True, on_delete=models.CASCADE, related_name="+"
    )
    point = models.ForeignKey(
        "prices.PricePoint",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the partial index below: most deliveries are of listings
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["point"], condition=models.Q(point__isnull=False), name="delivery_point"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "listing"],
                condition=models.Q(listing__isnull=False),
                name="one_delivery_per_listing",
            ),
            models.UniqueConstraint(
                fields=["alert", "point"],
                condition=models.Q(point__isnull=False),
                name="one_delivery_per_point",
            ),
        ]

    def __str__(self) -> str:
        what = f"listing {self.listing_id}" if self.listing_id else f"point {self.point_id}"
        return f"alert {self.alert_id}: {what}"
