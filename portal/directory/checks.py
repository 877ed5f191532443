"""What verifiers checked about a company: one row per check, never deleted.

A company is **verified** while it has a *current* company-registration check: made on or
before today, expiring on or after today, and not revoked. The company's page keeps a
summary of the registration check that lasts longest (``CompanyPage.verified_*``), so that
lists, the directory's filter, search and the API ask one row and the badge lapses on its
date without anyone touching the page.
"""

from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import dates


class CheckScope(models.TextChoices):
    REGISTRATION = "registration", "Company registration"
    ADDRESS = "address", "Address"
    AUTHORITY = "authority", "Contact person's authority"
    SITE_VISIT = "site_visit", "Site visit"


class VerificationCheckQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> "VerificationCheckQuerySet":
        """Checks that count on ``on`` (today): made by then, not expired, not revoked."""
        on = on or dates.today()
        return self.filter(revoked_on__isnull=True, checked_on__lte=on, expires_on__gte=on)


class VerificationCheck(models.Model):
    company = models.ForeignKey(
        "directory.CompanyPage", on_delete=models.CASCADE, related_name="verification_checks"
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        help_text="The portal of the company (set from it).",
    )
    scope = models.CharField(max_length=20, choices=CheckScope.choices)
    checked_by = models.CharField(
        max_length=255, help_text="Who made the check (organisation or person), as buyers see it."
    )
    checked_on = models.DateField()
    expires_on = models.DateField(help_text="The check no longer counts after this day.")
    registry = models.CharField(
        max_length=255, blank=True, help_text="Company registration: the registry checked."
    )
    registration_number = models.CharField(max_length=100, blank=True)
    inspector = models.CharField(
        max_length=255, blank=True, help_text="Site visit: the inspector's name."
    )
    note = models.TextField(blank=True, help_text="For staff; never shown to buyers.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VerificationCheckQuerySet.as_manager()

    class Meta:
        ordering = ["company", "-checked_on", "-pk"]
        verbose_name = "verification check"

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.company} ({self.checked_on})"

    def save(self, *args, **kwargs) -> None:
        if self.site_id is None:
            self.site_id = self.company.get_site().pk
        super().save(*args, **kwargs)
        summarise(self.company_id)

    def is_current(self, on: date | None = None) -> bool:
        on = on or dates.today()
        return self.revoked_on is None and self.checked_on <= on <= self.expires_on

    @property
    def status(self) -> str:
        if self.revoked_on:
            return "revoked"
        return "current" if self.is_current() else "expired"

    def clean(self) -> None:
        errors = {}
        if self.checked_on and self.expires_on and self.expires_on < self.checked_on:
            errors["expires_on"] = "Must be on or after the day of the check."
        if self.checked_on and self.checked_on > dates.today():
            errors["checked_on"] = "A check cannot be dated in the future."
        if self.scope == CheckScope.REGISTRATION and not (
            self.registry and self.registration_number
        ):
            errors["registration_number"] = "Give the registry and the registration number."
        if self.scope == CheckScope.SITE_VISIT and not self.inspector:
            errors["inspector"] = "Name the inspector who visited."
        if self.revoked_on and not self.revoked_reason.strip():
            errors["revoked_reason"] = "Say why the check is revoked."
        if errors:
            raise ValidationError(errors)

    def revoke(self, reason: str, by=None, on: date | None = None) -> None:
        """Withdraw the check; it stays in the company's history with the reason."""
        self.revoked_on = on or dates.today()
        self.revoked_reason = reason
        self.revoked_by = by
        self.save()


def lasting(checks: list[VerificationCheck]) -> VerificationCheck | None:
    """The registration check (not revoked) that lasts longest: what the summary shows."""
    kept = [c for c in checks if c.scope == CheckScope.REGISTRATION and not c.revoked_on]
    return max(kept, key=lambda c: (c.expires_on, c.checked_on, c.pk or 0), default=None)


def summary(check: VerificationCheck | None) -> dict[str, object]:
    """The company page's ``verified_*`` fields for ``check`` (empty without one)."""
    if check is None:
        return {
            "verified_by": "",
            "verified_on": None,
            "verification_expires": None,
            "verification_scope": "",
        }
    scope = "company registration" + (f" ({check.registry})" if check.registry else "")
    return {
        "verified_by": check.checked_by,
        "verified_on": check.checked_on,
        "verification_expires": check.expires_on,
        "verification_scope": scope[:255],
    }


def summarise(company_id: int) -> None:
    """Copy the registration check that lasts longest onto the company's page, and tell the
    portal that the page changed (its badge, lists, filter and search)."""
    from portal.core.changes import note_page

    company_page = apps.get_model("directory", "CompanyPage")
    checks = list(VerificationCheck.objects.filter(company_id=company_id))
    company_page.objects.filter(pk=company_id).update(**summary(lasting(checks)))
    page = company_page.objects.filter(pk=company_id).only("path", "depth").first()
    if page is not None:
        note_page(page)
