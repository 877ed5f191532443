"""Inquiries visitors send about a listing: stored privately, relayed to the lister by email."""

from django.db import models
from wagtail.models import Site

from portal.defences.forms import duplicate_key
from portal.members.leads import LeadState


class InquiryQuerySet(models.QuerySet):
    def for_company(self, company) -> "InquiryQuerySet":
        return self.filter(listing__company=company)


class Inquiry(LeadState):
    listing = models.ForeignKey(
        "board.TradeListingPage", on_delete=models.CASCADE, related_name="inquiries"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    company = models.CharField(max_length=160, blank=True)
    message = models.TextField()
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    relayed_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest = models.CharField(max_length=64, db_index=True, editable=False)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inquiries"

    def __str__(self) -> str:
        return f"{self.name} about {self.listing.title}"

    def save(self, *args, **kwargs):
        self.digest = duplicate_key(self.listing_id, self.email, self.message)
        super().save(*args, **kwargs)
