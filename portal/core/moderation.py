"""Putting a page that a member wrote before its portal's moderators."""

from django.utils.text import slugify
from wagtail.models import Page, WorkflowState


def unique_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "listing"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
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
