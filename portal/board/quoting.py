"""Quotes on buy requests: the cap, who may quote, and accepting one."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.core import changes
from portal.mail import absolute, send_templated
from portal.plans import quotas

from .lifecycle import lister_emails
from .models import BuyRequestPage, Quote


def quote_refusal(request_page: BuyRequestPage, membership, cap: int) -> str | None:
    """Why ``membership`` may not quote on ``request_page`` now, or None; raises
    ``QuotaExceeded`` when the member's plan allows no more quotes this week."""
    if not request_page.is_open:
        return "This request is no longer open for quotes."
    if membership.owns_page(request_page):
        return "You cannot quote on your own request."
    if request_page.quotes.filter(membership=membership).exists():
        return "You have already quoted on this request; see your dashboard."
    if request_page.quotes.filter(Quote.counted()).count() >= cap:
        return f"This request has received the most quotes it takes ({cap})."
    if request_page.quotes.filter(status=Quote.ACCEPTED).exists():
        return "The buyer has already accepted a quote."
    # Locked until the caller's transaction ends, so racing quotes wait their turn; over the
    # plan's weekly quotes, ``QuotaExceeded`` (the caller shows the form again, as typed).
    quotas.claim(membership.company, "quotes_per_week")
    return None


@transaction.atomic
def submit(quote: Quote) -> Quote:
    """Save a quote and tell the buyer; ``QuotaExceeded`` if the plan allows no more."""
    quotas.claim(quote.membership.company, "quotes_per_week")
    quote.save()
    site = quote.request.get_site()
    changes.note(site.pk)  # the request's page shows how many quotes it has
    context = {
        "quote": quote,
        "listing": quote.request,
        "dashboard_url": absolute(site, reverse("members:dashboard")),
    }
    transaction.on_commit(
        lambda: send_templated("quote_received", lister_emails(quote.request), context, site)
    )
    return quote


def accept(quote: Quote) -> None:
    """Accept one quote; the request's other open quotes are declined."""
    now = timezone.now()
    others = Quote.objects.filter(request=quote.request, status=Quote.SUBMITTED).exclude(
        pk=quote.pk
    )
    others.update(status=Quote.DECLINED, decided_at=now)
    quote.status, quote.decided_at = Quote.ACCEPTED, now
    quote.save(update_fields=["status", "decided_at"])
    site = quote.request.get_site()
    changes.note(site.pk)
    context = {
        "quote": quote,
        "listing": quote.request,
        "listing_url": absolute(site, quote.request.get_url() or "/"),
        "dashboard_url": absolute(site, reverse("members:dashboard")),
    }
    transaction.on_commit(
        lambda: send_templated("quote_accepted", [quote.membership.user.email], context, site)
    )
