"""A listing's life: submitted into moderation, published, renewed, closed, expired."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site, WorkflowState

from portal.core import changes
from portal.core.moderation import (  # noqa: F401 (DIGEST_ABOVE: the board's digest size)
    DIGEST_ABOVE,
    approval_task,
    rejection_comments,
    start_moderation,
    submit_new_pages,
    take_down,
    unique_slug,
    unique_slugs,
)
from portal.defences.forms import duplicate_key
from portal.mail import absolute, send_digest, send_templated
from portal.members.models import Membership
from portal.plans import quotas

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


DUPLICATE_WINDOW_DAYS = 30


def board_of(site: Site) -> BoardIndexPage:
    """The live market board of the portal ``site`` serves; a 404 if it has none."""
    board = BoardIndexPage.objects.descendant_of(site.root_page).live().first()
    if board is None:
        raise Http404("This portal has no market board.")
    return board


def own_listings(membership: Membership) -> QuerySet:
    """The member's listings on this portal: their company's, or their own without one."""
    return TradeListingPage.objects.descendant_of(membership.site.root_page).filter(
        membership.owns()
    )


def recent_keys(membership: Membership) -> set[str]:
    """The duplicate keys of the member's listings the board refuses to see posted again:
    open ones submitted in the last ``DUPLICATE_WINDOW_DAYS``, in one query."""
    since = timezone.now() - timedelta(days=DUPLICATE_WINDOW_DAYS)
    recent = own_listings(membership).filter(
        latest_revision_created_at__gte=since, closed_on__isnull=True
    )
    return {
        duplicate_key(kind, title, description)
        for kind, title, description in recent.values_list("kind", "title", "description")
    }


def listing_key(page: TradeListingPage) -> str:
    """What makes two listings the same submission: kind, title and description."""
    return duplicate_key(page.kind, page.title, page.description)


def is_duplicate(
    membership: Membership, page: TradeListingPage, recent: set[str] | None = None
) -> bool:
    """Whether the member already posted ``page`` (an unsaved listing); pass ``recent_keys``
    to check many listings with one query."""
    keys = recent_keys(membership) if recent is None else recent
    return listing_key(page) in keys


@transaction.atomic
def submit_listing(page: TradeListingPage, board: BoardIndexPage, membership) -> TradeListingPage:
    """Add a member's new listing to ``board`` as a draft and start its moderation; raises
    ``QuotaExceeded`` (nothing saved) if the company's plan allows no more live listings."""
    quotas.claim(membership.company, "live_listings")
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
def submit_listings(
    pages: Sequence[TradeListingPage], board: BoardIndexPage, membership: Membership
) -> list[TradeListingPage]:
    """``submit_listing`` for many new listings, in a few queries per batch of them.

    The rows are those ``submit_listing`` leaves, one listing after another: draft pages with
    unique slugs, a revision each, the workflow and its approval task started, the log entries
    (create, edit, workflow start), the search and reference index entries, and the emails
    Wagtail sends the moderators for each submission (for more than ``DIGEST_ABOVE``
    listings, one digest to each moderator instead). A portal without moderation, or with a
    workflow other than one group approval task, goes listing by listing. ``pages`` are unsaved
    listings without child objects (as the posting forms make them)."""
    quotas.claim(membership.company, "live_listings", adding=len(pages))  # all or none
    moderation = approval_task(board)
    if moderation is None:
        return [submit_listing(page, board, membership) for page in pages]
    pages = list(pages)
    if not pages:
        return pages
    user, portal = membership.user, board.portal_settings
    for page, slug in zip(pages, unique_slugs(board, [p.title for p in pages]), strict=True):
        page.owner, page.company, page.slug = user, membership.company, slug
        page.kind = page.listing_kind
        page.valid_until = page.valid_until or page.default_valid_until(portal)
    digest = partial(send_digest, "listings_submitted", pages, board.portal_site, user)
    submit_new_pages(board, pages, user, moderation, digest)
    return pages


@transaction.atomic
def resubmit_listing(page: TradeListingPage, user) -> None:
    """Save a member's changes to a pending or rejected listing and (re)start moderation."""
    start_moderation(page, user)


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
@transaction.atomic
def renew(page: TradeListingPage, user) -> date:
    """Extend a live or expired listing by the portal's validity and publish it again.

    What is published again is what was last live (the page's own row), never a newer draft:
    that content was approved, so no new moderation is needed. An expired listing comes back
    as one more live listing: ``QuotaExceeded`` if the company's plan allows no more.
    """
    page = TradeListingPage.objects.get(pk=page.pk).specific
    if page.is_expired or not page.live:
        quotas.claim(page.company, "live_listings")
    page.valid_until = page.default_valid_until()
    page.reminder_sent_on = None
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    TradeListingPage.objects.filter(pk=page.pk).update(reminder_sent_on=None)
    return page.valid_until


@transaction.atomic
def close(page: TradeListingPage, user, reason: str) -> None:
    """Take a listing off the board for good: closed, or fulfilled."""
    take_down(page, user, closed_on=date.today(), close_reason=reason)


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
