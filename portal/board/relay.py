"""Relaying inquiries by email: to the lister, or to the portal's moderators when a listing
has nobody behind it; retried by the board's scheduled job until it goes through."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.core.models import PortalSettings
from portal.mail import absolute, send_templated

from .lifecycle import lister_emails
from .models import Inquiry

RETRY_DAYS = 7


def recipients(inquiry: Inquiry) -> list[str]:
    listers = lister_emails(inquiry.listing)
    if listers:
        return listers
    settings = PortalSettings.for_site(inquiry.site)
    group = settings.moderators_group
    return list(group.user_set.exclude(email="").values_list("email", flat=True)) if group else []


def relay(inquiry: Inquiry) -> bool:
    """Email the inquiry, with the visitor's address as Reply-To; True once it is sent."""
    listing = inquiry.listing.specific
    context = {
        "inquiry": inquiry,
        "listing": listing,
        "listing_url": absolute(inquiry.site, listing.get_url() or "/"),
        "dashboard_url": absolute(inquiry.site, reverse("members:dashboard")),
    }
    sent = send_templated(
        "inquiry_relayed", recipients(inquiry), context, inquiry.site, reply_to=inquiry.email
    )
    if sent:
        inquiry.relayed_at = timezone.now()
        Inquiry.objects.filter(pk=inquiry.pk).update(relayed_at=inquiry.relayed_at)
    return sent


def relay_pending() -> int:
    """Retry inquiries whose email did not go out (mail server down), for up to a week."""
    since = timezone.now() - timedelta(days=RETRY_DAYS)
    pending = Inquiry.objects.filter(relayed_at__isnull=True, created_at__gte=since)
    return sum(relay(inquiry) for inquiry in pending.select_related("listing", "site"))
