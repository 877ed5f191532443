"""Quotes members send on buy requests, and the record of match alerts already sent."""

from django.db import models
from wagtail.models import Page

from portal.core.models.settings import INCOTERMS

from .validators import POSITIVE


class Quote(models.Model):
    SUBMITTED, ACCEPTED, DECLINED, WITHDRAWN = "submitted", "accepted", "declined", "withdrawn"
    STATUSES = [
        (SUBMITTED, "Submitted"),
        (ACCEPTED, "Accepted"),
        (DECLINED, "Not chosen"),
        (WITHDRAWN, "Withdrawn"),
    ]

    request = models.ForeignKey(
        "board.BuyRequestPage", on_delete=models.CASCADE, related_name="quotes"
    )
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.CASCADE, related_name="quotes"
    )
    price = models.DecimalField("unit price", max_digits=14, decimal_places=2, validators=POSITIVE)
    currency = models.CharField(max_length=3)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, validators=POSITIVE)
    lead_time_days = models.PositiveIntegerField("lead time (days)")
    incoterm = models.CharField(max_length=3, choices=INCOTERMS, blank=True)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "membership"], name="one_quote_per_member_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"Quote on {self.request.title}"

    @classmethod
    def counted(cls) -> models.Q:
        """Quotes that count on a request (towards its cap and on its page): all but withdrawn."""
        return ~models.Q(status=cls.WITHDRAWN)

    @classmethod
    def counted_by_request(cls, root: Page) -> dict[int, int]:
        """The quotes counted on each buy request under ``root``, by the request's id."""
        rows = (
            cls.objects.filter(cls.counted(), request__path__startswith=root.path)
            .values_list("request_id")
            .annotate(count=models.Count("pk"))
        )
        return dict(rows)


class MatchAlert(models.Model):
    """One alert email per (new listing, member): republishing does not send it twice."""

    listing = models.ForeignKey(
        "board.TradeListingPage", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey("members.Membership", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "membership"], name="one_alert_per_match")
        ]

    def __str__(self) -> str:
        return f"Match alert for listing {self.listing_id}"
