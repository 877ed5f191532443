"""A listing's life: submitted into moderation, published, renewed, closed, expired."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.admin.signal_handlers import (
    task_submission_email_notifier,
    workflow_submission_email_notifier,
)
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    GroupApprovalTask,
    Page,
    PageLogEntry,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)

from portal.core import changes
from portal.core.bulk import BATCH, bulk_add_children, index_new_pages
from portal.core.models.shared import changed
from portal.core.moderation import start_moderation, unique_slug, unique_slugs
from portal.defences.forms import duplicate_key
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
    moderation = _approval_task(board)
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
        for relation in get_all_child_relations(page):  # new: nothing in the database yet
            setattr(page, relation.get_accessor_name(), [])
    created = timezone.now()
    bulk_add_children(board, pages)
    revisions = _save_revisions(pages, user)
    started = timezone.now()
    states = _start_workflows(pages, *moderation, user)
    PageLogEntry.objects.bulk_create(
        _log_entries(pages, revisions, states, user, created, started), batch_size=BATCH
    )
    index_new_pages(pages)
    changed()  # what ``Page.save`` signals to the values pages share
    _notify_moderators(states, pages, board, user)
    return pages


def _log_entries(
    pages: list[TradeListingPage],
    revisions: list[Revision],
    states: list[WorkflowState],
    user,
    created: datetime,
    started: datetime,
) -> list[PageLogEntry]:
    """The entries ``add_child``, ``save_revision`` and ``Workflow.start`` log, page by page."""
    uuid = get_active_log_context().uuid
    entries = []
    for page, revision, state in zip(pages, revisions, states, strict=True):
        entry = {
            "page": page,
            "user": user,
            "uuid": uuid,
            "content_type": _content_type(page),
            "label": PageLogEntry.objects.get_instance_title(page),
        }
        entries += [
            PageLogEntry(**entry, action="wagtail.create", timestamp=created, content_changed=True),
            PageLogEntry(
                **entry,
                action="wagtail.edit",
                revision=revision,
                timestamp=revision.created_at,
                content_changed=True,
            ),
            PageLogEntry(
                **entry,
                action="wagtail.workflow.start",
                revision=revision,
                timestamp=started,
                data=_start_data(state),
            ),
        ]
    return entries


def _approval_task(board: BoardIndexPage) -> tuple[Workflow, GroupApprovalTask] | None:
    """The workflow new listings on ``board`` start and its first task, if that is a plain
    group approval (what ``submit_listings`` writes in bulk); None otherwise."""
    workflow = board.get_workflow()
    if workflow is None:
        return None
    task = (
        Task.objects.filter(workflow_tasks__workflow=workflow, active=True)
        .order_by("workflow_tasks__sort_order")
        .first()
    )
    task = task.specific if task is not None else None
    if type(task) is not GroupApprovalTask:
        return None
    return workflow, task


def _content_type(page: Page) -> ContentType:
    return ContentType.objects.get_for_model(page, for_concrete_model=False)


def _save_revisions(pages: list[TradeListingPage], user) -> list[Revision]:
    """``save_revision`` of each new page: its revision, then the page's revision fields."""
    now = timezone.now()
    base = pages[0].get_base_content_type()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=_content_type(page),
                base_content_type=base,
                object_id=str(page.pk),
                created_at=now,
                user=user,
                content=page.serializable_data(),
                object_str=str(page),
            )
            for page in pages
        ],
        batch_size=BATCH,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = now
        page.draft_title = page.title
        page.has_unpublished_changes = True
    own_revision = Revision.objects.filter(
        base_content_type=base, object_id=Cast(OuterRef("pk"), CharField())
    )
    for start in range(0, len(pages), BATCH):  # one UPDATE, where a CASE per page is slow
        Page.objects.filter(pk__in=[page.pk for page in pages[start : start + BATCH]]).update(
            latest_revision=Subquery(own_revision.values("pk")[:1]),
            latest_revision_created_at=now,
            draft_title=F("title"),
            has_unpublished_changes=True,
        )
    return revisions


def _start_workflows(
    pages: list[TradeListingPage], workflow: Workflow, task: GroupApprovalTask, user
) -> list[WorkflowState]:
    """``Workflow.start`` on each new page: its state, in progress on ``task``."""
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=_content_type(page),
                base_content_type=page.get_base_content_type(),
                object_id=str(page.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                requested_by=user,
            )
            for page in pages
        ],
        batch_size=BATCH,
    )
    task_states = TaskState.objects.bulk_create(
        [
            TaskState(
                workflow_state=state,
                revision=page.latest_revision,
                task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                content_type=ContentType.objects.get_for_model(TaskState),
            )
            for page, state in zip(pages, states, strict=True)
        ],
        batch_size=BATCH,
    )
    for state, task_state in zip(states, task_states, strict=True):
        state.current_task_state = task_state
    own_task = TaskState.objects.filter(workflow_state=OuterRef("pk")).values("pk")[:1]
    for start in range(0, len(states), BATCH):
        WorkflowState.objects.filter(
            pk__in=[state.pk for state in states[start : start + BATCH]]
        ).update(current_task_state=Subquery(own_task))
    return states


def _start_data(state: WorkflowState) -> dict:
    """The data of a ``wagtail.workflow.start`` log entry, as ``Workflow.start`` logs it."""
    task_state = state.current_task_state
    return {
        "workflow": {
            "id": state.workflow.id,
            "title": state.workflow.name,
            "status": state.status,
            "next": {"id": task_state.task.id, "title": task_state.task.name},
            "task_state_id": task_state.id,
        }
    }


# A batch of more listings than this (an import) gets one email per moderator, not one each.
DIGEST_ABOVE = 10


def _notify_moderators(
    states: list[WorkflowState], pages: list[TradeListingPage], board: BoardIndexPage, user
) -> None:
    """The emails Wagtail sends on each submission (to the task's group, to superusers), with
    the recipients worked out once for the batch; a digest for a large batch."""
    notifiers = [
        (notifier, instances)
        for notifier, instances in (
            (task_submission_email_notifier, [state.current_task_state for state in states]),
            (workflow_submission_email_notifier, states),
        )
        if notifier.can_handle(instances[0], user=user)
    ]
    recipients = {
        notifier: notifier.get_valid_recipients(instances[0], user=user)
        for notifier, instances in notifiers
    }
    if len(states) > DIGEST_ABOVE:
        people = {person for found in recipients.values() for person in found}
        _send_digest(pages, board, user, people)
        return
    for notifier, instances in notifiers:
        if not recipients[notifier]:
            continue
        templates = notifier.get_template_set(instances[0], user=user)
        for instance in instances:
            context = notifier.get_context(instance, user=user)
            notifier.send_notifications(templates, context, recipients[notifier], user=user)


def _send_digest(pages: list[TradeListingPage], board: BoardIndexPage, user, people: set) -> None:
    """One email to each moderator naming the batch's listings and where to review them, once
    the batch is committed."""
    site = board.portal_site
    context = {
        "count": len(pages),
        "submitter": user.get_full_name() or user.email,
        "titles": [page.title for page in pages],
        "review_url": absolute(site, reverse("wagtailadmin_home")),
    }
    addresses = sorted({person.email for person in people if person.email})
    transaction.on_commit(
        lambda: [send_templated("listings_submitted", [to], context, site) for to in addresses]
    )


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
