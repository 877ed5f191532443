"""Emails that follow moderation and publication: decisions to listers, match alerts."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from portal.directory.models import CompanyPage
from portal.mail import absolute, send_templated
from portal.members.models import Membership

from .lifecycle import lister_emails, renew
from .models import MatchAlert, TradeListingPage


def _member_page_of(state: WorkflowState) -> TradeListingPage | CompanyPage | None:
    """The listing or company page a member submitted, if that is what was moderated."""
    page = state.content_object
    page = page.specific if isinstance(page, Page) else page
    return page if isinstance(page, TradeListingPage | CompanyPage) else None


def notify_decision(state: WorkflowState, approved: bool, user=None) -> None:
    """Tell the member their listing or company page was approved (with its URL) or
    rejected (with the moderator's comment)."""
    listing = _member_page_of(state)
    if listing is None:
        return
    if approved and isinstance(listing, TradeListingPage) and listing.is_expired:
        # It waited in moderation past its date: it runs its full validity from today.
        renew(listing, user)
        listing.refresh_from_db()
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
        "noun": "company page" if isinstance(listing, CompanyPage) else listing._meta.verbose_name,
        "approved": approved,
        "comment": comment,
        "listing_url": absolute(site, listing.get_url() or "/"),
        "dashboard_url": absolute(site, reverse("members:dashboard")),
    }
    transaction.on_commit(
        lambda: send_templated(
            "submission_approved" if approved else "submission_rejected",
            lister_emails(listing),
            context,
            site,
        )
    )


def alert_matches(listing: TradeListingPage) -> int:
    """Email opted-in members whose open listings match a newly published one; once each."""
    if not listing.is_open:
        return 0
    matching = listing.matching_listings()
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
