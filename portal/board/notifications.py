"""Emails that follow moderation and publication: decisions to listers, match alerts."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from portal.core.mail import absolute, send_templated

from .lifecycle import lister_emails
from .models import MatchAlert, TradeListingPage


def _listing_of(state: WorkflowState) -> TradeListingPage | None:
    page = state.content_object
    page = page.specific if isinstance(page, Page) else page
    return page if isinstance(page, TradeListingPage) else None


def notify_decision(state: WorkflowState, approved: bool) -> None:
    """Tell the lister their listing was approved (with its URL) or rejected (with why)."""
    listing = _listing_of(state)
    if listing is None:
        return
    site = listing.get_site()
    comment = ""
    if not approved:
        task = (
            TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
            .order_by("-finished_at")
            .first()
        )
        comment = task.comment if task else ""
    context = {
        "listing": listing,
        "approved": approved,
        "comment": comment,
        "listing_url": absolute(site, listing.get_url() or "/"),
        "dashboard_url": absolute(site, reverse("members:dashboard")),
    }
    transaction.on_commit(
        lambda: send_templated(
            "listing_approved" if approved else "listing_rejected",
            lister_emails(listing),
            context,
            site,
        )
    )


def alert_matches(listing: TradeListingPage) -> int:
    """Email opted-in members whose open listings match a newly published one; once each."""
    from portal.members.models import Membership

    if not listing.is_open:
        return 0
    matching = listing.live_board().filter(
        kind=listing.OPPOSITE[listing.kind],
        category_id=listing.category_id,
        region_id=listing.region_id,
    )
    members = (
        Membership.objects.filter(
            notify_matches=True, company__trade_listings__in=matching, site=listing.get_site()
        )
        .exclude(company_id=listing.company_id)
        .select_related("user")
        .distinct()
    )
    site = listing.get_site()
    sent = 0
    for membership in members:
        try:
            with transaction.atomic():
                MatchAlert.objects.create(listing=listing, membership=membership)
        except IntegrityError:
            continue  # already told about this listing
        context = {
            "listing": listing,
            "listing_url": absolute(site, listing.get_url() or "/"),
            "dashboard_url": absolute(site, reverse("members:dashboard")),
        }
        if send_templated("match_alert", [membership.user.email], context, site):
            sent += 1
    return sent
