"""Relaying inquiries by email: to the lister, or to the portal's moderators when a listing
has nobody behind it; retried by the board's scheduled job until it goes through.

Other apps relay their own messages the same way (``relay_message``) and have them retried by
the same job (``register_pending``)."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from portal.core.models import PortalSettings
from portal.mail import absolute, send_templated

from .lifecycle import lister_emails
from .models import Inquiry

RETRY_DAYS = 7

# What other apps retry alongside the inquiries: each returns how many went out.
_pending_relays: list[Callable[[], int]] = []


def moderator_emails(site: Site) -> list[str]:
    """The addresses of the portal's moderators, who get what has nobody else to go to."""
    group = PortalSettings.for_site(site).moderators_group
    return list(group.user_set.exclude(email="").values_list("email", flat=True)) if group else []


def recipients(inquiry: Inquiry) -> list[str]:
    return lister_emails(inquiry.listing) or moderator_emails(inquiry.site)


def relay_message(
    message: models.Model, template: str, to: list[str], context: dict[str, Any]
) -> bool:
    """Email a visitor's ``message`` (a row with ``site``, ``email`` and ``relayed_at``) with
    the visitor's address as Reply-To, and stamp ``relayed_at``; True once it is sent."""
    sent = send_templated(template, to, context, message.site, reply_to=message.email)
    if sent:
        message.relayed_at = timezone.now()
        type(message).objects.filter(pk=message.pk).update(relayed_at=message.relayed_at)
    return sent


def relay(inquiry: Inquiry) -> bool:
    """Email the inquiry, with the visitor's address as Reply-To; True once it is sent."""
    listing = inquiry.listing.specific
    context = {
        "inquiry": inquiry,
        "listing": listing,
        "listing_url": absolute(inquiry.site, listing.get_url() or "/"),
        "dashboard_url": absolute(inquiry.site, reverse("members:dashboard")),
    }
    return relay_message(inquiry, "inquiry_relayed", recipients(inquiry), context)


def register_pending(retry: Callable[[], int]) -> None:
    """Have ``relay_pending`` also call ``retry`` (from an app's ``ready()``)."""
    if retry not in _pending_relays:
        _pending_relays.append(retry)


def retry_since() -> datetime:
    """How far back unsent messages are retried."""
    return timezone.now() - timedelta(days=RETRY_DAYS)


def relay_pending() -> int:
    """Retry inquiries (and other apps' registered messages) whose email did not go out (mail
    server down), for up to a week."""
    pending = Inquiry.objects.filter(relayed_at__isnull=True, created_at__gte=retry_since())
    relayed = sum(relay(inquiry) for inquiry in pending.select_related("listing", "site"))
    return relayed + sum(retry() for retry in _pending_relays)
