"""A listing's life: submitted into moderation, published, renewed, closed, expired."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, TaskState, WorkflowState

from portal.core import changes
from portal.core.moderation import start_moderation, unique_slug
from portal.mail import absolute, send_templated
from portal.members.models import Membership

from .models import BoardIndexPage, TradeListingPage

log = logging.getLogger(__name__)

PENDING, LIVE, REJECTED, EXPIRED, CLOSED, FULFILLED, DRAFT, WITHDRAWN = (
    "pending",
    "live",
    "rejected",
    "expired",
    "closed",
    "fulfilled",
    "draft",
    "withdrawn",
)


@dataclass
class ListingStatus:
    code: str
    label: str
    reason: str = ""

    @property
    def can_renew(self) -> bool:
        return self.code in (LIVE, EXPIRED)

    @property
    def can_close(self) -> bool:
        return self.code in (LIVE, EXPIRED, PENDING, REJECTED)

    @property
    def can_edit(self) -> bool:
        return self.code in (PENDING, REJECTED)


@transaction.atomic
def submit_listing(page: TradeListingPage, board: BoardIndexPage, membership) -> TradeListingPage:
    """Add a member's new listing to ``board`` as a draft and start its moderation."""
    page.live = False
    page.owner = membership.user
    page.company = membership.company
    page.slug = unique_slug(board, page.title)
    if not page.valid_until:
        page.valid_until = page.default_valid_until(board.portal_settings)
    board.add_child(instance=page)
    start_moderation(page, membership.user)
    return page


@transaction.atomic
def resubmit_listing(page: TradeListingPage, user) -> None:
    """Save a member's changes to a pending or rejected listing and (re)start moderation."""
    start_moderation(page, user)


def rejection_comments(pages: list[Page]) -> dict[int, str]:
    """The moderator's comment of the latest rejected task of each page."""
    states = (
        TaskState.objects.filter(
            workflow_state__base_content_type__model="page",
            workflow_state__object_id__in=[str(p.pk) for p in pages],
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
            status=TaskState.STATUS_REJECTED,
        )
        .order_by("finished_at")
        .values_list("workflow_state__object_id", "comment")
    )
    return {int(object_id): comment for object_id, comment in states}


def statuses(listings: list[TradeListingPage]) -> dict[int, ListingStatus]:
    """The status a lister sees for each listing, in three queries."""
    ids = [str(p.pk) for p in listings]
    active = dict(
        WorkflowState.objects.active()
        .filter(base_content_type__model="page", object_id__in=ids)
        .values_list("object_id", "status")
    )
    comments = rejection_comments(listings)
    today = date.today()
    result = {}
    for page in listings:
        workflow = active.get(str(page.pk))
        if page.close_reason == "fulfilled":
            status = ListingStatus(FULFILLED, "Fulfilled")
        elif page.closed_on:
            status = ListingStatus(CLOSED, "Closed")
        elif workflow == WorkflowState.STATUS_IN_PROGRESS:
            status = ListingStatus(PENDING, "Awaiting moderation")
        elif workflow == WorkflowState.STATUS_NEEDS_CHANGES:
            status = ListingStatus(REJECTED, "Rejected", comments.get(page.pk, ""))
        elif page.valid_until and page.valid_until < today and (page.live or page.expired):
            status = ListingStatus(EXPIRED, "Expired")
        elif page.live:
            status = ListingStatus(LIVE, "Live")
        elif page.first_published_at:
            status = ListingStatus(WITHDRAWN, "Withdrawn by the moderators")
        else:
            status = ListingStatus(DRAFT, "Draft")
        result[page.pk] = status
    return result


@transaction.atomic
def renew(page: TradeListingPage, user) -> date:
    """Extend a live or expired listing by the portal's validity and publish it again.

    What is published again is what was last live (the page's own row), never a newer draft:
    that content was approved, so no new moderation is needed.
    """
    page = TradeListingPage.objects.get(pk=page.pk).specific
    page.valid_until = page.default_valid_until()
    page.reminder_sent_on = None
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    TradeListingPage.objects.filter(pk=page.pk).update(reminder_sent_on=None)
    return page.valid_until


@transaction.atomic
def close(page: TradeListingPage, user, reason: str) -> None:
    """Take a listing off the board for good: closed, or fulfilled."""
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    TradeListingPage.objects.filter(pk=page.pk).update(closed_on=date.today(), close_reason=reason)
    page.closed_on, page.close_reason = date.today(), reason
    if page.live:
        # Members have no admin permissions; this is their own listing, checked by the caller.
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)


def expire_due(today: date | None = None) -> int:
    """Unpublish live listings past their valid-until date; returns how many."""
    today = today or date.today()
    count = 0
    with changes.batch():  # what shows these listings is worked out once, at the end
        due = TradeListingPage.objects.live().filter(valid_until__lt=today).specific()
        for page in due.iterator():
            with transaction.atomic():
                page.unpublish(set_expired=True)
            count += 1
    return count


def send_reminders(today: date | None = None, days: int | None = None) -> int:
    """Email listers whose live listings expire within ``days``; once per validity period."""
    today = today or date.today()
    days = settings.LISTING_REMINDER_DAYS if days is None else days
    due = (
        TradeListingPage.objects.live()
        .filter(
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days),
            reminder_sent_on__isnull=True,
            closed_on__isnull=True,
        )
        .select_related("owner")
        .specific()
    )
    sent = 0
    for page in due:
        recipients = lister_emails(page)
        site = page.get_site()
        context = {
            "listing": page,
            "listing_url": absolute(site, page.get_url()),
            "dashboard_url": absolute(site, reverse("members:dashboard")),
            "days_left": (page.valid_until - today).days,
        }
        if send_templated("listing_expiring", recipients, context, site):
            TradeListingPage.objects.filter(pk=page.pk).update(reminder_sent_on=today)
            sent += 1
    return sent


def lister_emails(page: Page) -> list[str]:
    """Who hears about a listing (or a company page): its owner, else its company's members."""
    if page.owner_id and page.owner.email:
        return [page.owner.email]
    company_id = getattr(page, "company_id", None) or (
        page.pk if page.specific_class.__name__ == "CompanyPage" else None
    )
    if company_id:
        return list(
            Membership.objects.filter(company_id=company_id).values_list("user__email", flat=True)
        )
    return []
