"""Putting pages that members wrote before their portal's moderators: one at a time, or
many new ones at once (an import), and what a member sees of their moderation."""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
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
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)

from .bulk import BATCH, bulk_add_children, index_new_pages
from .models.shared import changed


def _base_slug(title: str) -> str:
    return slugify(title)[:70].strip("-") or "listing"


def unique_slug(parent: Page, title: str) -> str:
    """A slug for a new child of ``parent`` titled ``title``, unused among its children."""
    base = _base_slug(title)
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    return _free(base, taken)


def unique_slugs(parent: Page, titles: Sequence[str]) -> list[str]:
    """The slugs ``unique_slug`` would give new children added one after another, in one query."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    slugs = []
    for title in titles:
        slugs.append(_free(_base_slug(title), taken))
        taken.add(slugs[-1])
    return slugs


def _free(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def start_moderation(page: Page, user) -> None:
    """Save ``page`` as a revision and put it before its portal's moderators."""
    page.save_revision(user=user, log_action=True)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    elif state is None:
        workflow = page.get_workflow()
        if workflow is None:  # a portal without moderation publishes directly
            page.get_latest_revision().publish(user=user, skip_permission_checks=True)
        else:
            workflow.start(page, user)


def take_down(page: Page, user, **fields: object) -> None:
    """Take a member's own page off the portal for good: its moderation cancelled, ``fields``
    saved on its row (and set on ``page``), unpublished if live. Members have no admin
    permissions: the caller has checked the page is theirs."""
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    type(page).objects.filter(pk=page.pk).update(**fields)
    for name, value in fields.items():
        setattr(page, name, value)
    if page.live:
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)


def rejection_comments(pages: Sequence[Page]) -> dict[int, str]:
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


def workflow_statuses(pages: Sequence[Page]) -> dict[int, str]:
    """The status of each page's active moderation (in progress, needs changes), if any."""
    active = (
        WorkflowState.objects.active()
        .filter(base_content_type__model="page", object_id__in=[str(p.pk) for p in pages])
        .values_list("object_id", "status")
    )
    return {int(object_id): status for object_id, status in active}


def approval_task(parent: Page) -> tuple[Workflow, GroupApprovalTask] | None:
    """The workflow new children of ``parent`` start and its first task, if that is a plain
    group approval (what ``submit_new_pages`` writes in bulk); None otherwise."""
    workflow = parent.get_workflow()
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


# A batch of more pages than this (an import) gets one email per moderator, not one each.
DIGEST_ABOVE = 10


def submit_new_pages(
    parent: Page,
    pages: Sequence[Page],
    user,
    moderation: tuple[Workflow, GroupApprovalTask],
    digest: Callable[[set], None],
) -> None:
    """Add new, unsaved ``pages`` (slugs set, no child objects) under ``parent`` as drafts
    and put each before the moderators of ``moderation`` (``approval_task(parent)``), in a
    few queries per batch of them.

    The rows are those ``add_child`` and ``start_moderation`` leave, page after page: a
    revision each, the workflow and its approval task started, the log entries (create,
    edit, workflow start), the search and reference index entries, and the emails Wagtail
    sends the moderators for each submission; for more than ``DIGEST_ABOVE`` pages,
    ``digest(people)`` is called instead, to send each moderator one email."""
    pages = list(pages)
    if not pages:
        return
    for page in pages:
        for relation in get_all_child_relations(page):  # new: nothing in the database yet
            setattr(page, relation.get_accessor_name(), [])
    created = timezone.now()
    bulk_add_children(parent, pages)
    revisions = _save_revisions(pages, user)
    started = timezone.now()
    states = _start_workflows(pages, *moderation, user)
    PageLogEntry.objects.bulk_create(
        _log_entries(pages, revisions, states, user, created, started), batch_size=BATCH
    )
    index_new_pages(pages)
    changed()  # what ``Page.save`` signals to the values pages share
    _notify_moderators(states, user, digest)


def _log_entries(
    pages: list[Page],
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


def _content_type(page: Page) -> ContentType:
    return ContentType.objects.get_for_model(page, for_concrete_model=False)


def _save_revisions(pages: list[Page], user) -> list[Revision]:
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
    pages: list[Page], workflow: Workflow, task: GroupApprovalTask, user
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


def _notify_moderators(states: list[WorkflowState], user, digest: Callable[[set], None]) -> None:
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
        digest(people)
        return
    for notifier, instances in notifiers:
        if not recipients[notifier]:
            continue
        templates = notifier.get_template_set(instances[0], user=user)
        for instance in instances:
            context = notifier.get_context(instance, user=user)
            notifier.send_notifications(templates, context, recipients[notifier], user=user)
