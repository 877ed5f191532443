"""Relaying enquiries by email to the members of the company behind the page (or the portal's
moderators when it has none), the way the board relays inquiries; unsent ones are retried by
the board's scheduled job (registered in ``apps.py``)."""

from django.urls import reverse

from portal.board.relay import moderator_emails, relay_message, retry_since
from portal.mail import absolute
from portal.members.models import Membership

from .models import Enquiry


def recipients(enquiry: Enquiry) -> list[str]:
    """The company's members on the enquiry's portal, else the portal's moderators."""
    if enquiry.company_id:
        members = Membership.objects.filter(company_id=enquiry.company_id, site=enquiry.site_id)
        emails = [email for email in members.values_list("user__email", flat=True) if email]
        if emails:
            return emails
    return moderator_emails(enquiry.site)


def relay(enquiry: Enquiry) -> bool:
    """Email the enquiry, with the visitor's address as Reply-To; True once it is sent."""
    page = enquiry.page.specific
    context = {
        "enquiry": enquiry,
        "page": page,
        "page_url": absolute(enquiry.site, page.get_url() or "/"),
        "inbox_url": absolute(enquiry.site, reverse("members:inquiries")),
    }
    return relay_message(enquiry, "enquiry_relayed", recipients(enquiry), context)


def relay_pending() -> int:
    """Retry enquiries whose email did not go out, for as long as the board retries."""
    pending = Enquiry.objects.filter(relayed_at__isnull=True, created_at__gte=retry_since())
    return sum(relay(enquiry) for enquiry in pending.select_related("page", "site", "territory"))
