"""A member's request to have their company verified, with its evidence: the verifiers
review it and record checks (``checks.py``); the member follows its status."""

from django.conf import settings
from django.db import models
from wagtail.models import Site


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    IN_REVIEW = "in_review", "In review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class VerificationRequest(models.Model):
    """A company asks to be verified; verifiers review the evidence and record checks."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "directory.CompanyPage", on_delete=models.CASCADE, related_name="verification_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registry = models.CharField(
        max_length=255, help_text="Where the company is registered, e.g. a chamber of commerce."
    )
    registration_number = models.CharField(max_length=100)
    message = models.TextField(blank=True, help_text="Anything the verifiers should know.")
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    reason = models.TextField(
        blank=True, help_text="Why the request was rejected (the member sees it)."
    )
    evidence = models.ManyToManyField("wagtaildocs.Document", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "verification request"

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.REQUESTED, RequestStatus.IN_REVIEW)
