"""A member: a person's account acting for one company on one portal."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest
from wagtail.models import Collection, Site

from portal.core.context import portal_site


def quiet_admin_notifications(user) -> None:
    """Members hear about moderation from the portal's own emails, not the admin's (whose
    links lead into an admin they cannot use)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.approved_notifications = profile.rejected_notifications = False
    profile.submitted_notifications = False
    profile.save()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text="The company this member posts for.",
    )
    company_request = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The company typed at sign-up, made into a page once the email is confirmed.",
    )
    notify_matches = models.BooleanField(
        "email me matching listings",
        default=False,
        help_text="An email when a listing matching one of my open listings is published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="one_membership_per_portal")
        ]

    def __str__(self) -> str:
        return f"{self.user.email} for {self.company.title if self.company else '(no company)'}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:
            quiet_admin_notifications(self.user)
        super().save(*args, **kwargs)

    def owns(self, prefix: str = "") -> models.Q:
        """What belongs to this member: their company's, or (without a company) their own."""
        if self.company_id:
            return models.Q(**{f"{prefix}company": self.company_id})
        return models.Q(**{f"{prefix}owner": self.user_id})

    def owns_page(self, page) -> bool:
        """Whether ``page`` (a listing) is this member's, by the same rule as ``owns()``."""
        if self.company_id:
            return page.company_id == self.company_id
        return page.owner_id == self.user_id

    @classmethod
    def for_request(cls, request: HttpRequest) -> "Membership | None":
        """The signed-in user's membership of the portal serving ``request``, if any."""
        if not request.user.is_authenticated:
            return None
        cached = getattr(request, "_membership", False)
        if cached is not False:
            return cached
        site = portal_site(request)
        membership = (
            cls.objects.filter(user=request.user, site=site).select_related("company").first()
            if site
            else None
        )
        if membership is not None:
            membership.site = site  # the request's site (and home page), without a query
        request._membership = membership
        return membership


class MembersGroup(models.Model):
    """A portal's members as a Wagtail group, kept in step with its memberships (see
    ``groups.py``), so that page and document privacy can keep something for members; and the
    collection whose documents only they may download."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="+")
    collection = models.OneToOneField(
        Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.group.name
