"""A member: a person's account acting for one company on one portal."""

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from wagtail.models import Site


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
    notify_matches = models.BooleanField(
        "email me matching listings",
        default=True,
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

    @classmethod
    def for_request(cls, request: HttpRequest) -> "Membership | None":
        """The signed-in user's membership of the portal serving ``request``, if any."""
        if not request.user.is_authenticated:
            return None
        cached = getattr(request, "_membership", False)
        if cached is not False:
            return cached
        site = Site.find_for_request(request)
        request._membership = (
            cls.objects.filter(user=request.user, site=site).select_related("company").first()
            if site
            else None
        )
        return request._membership
