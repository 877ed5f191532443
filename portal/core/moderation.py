"""Putting a page that a member wrote before its portal's moderators."""

from collections.abc import Sequence

from django.utils.text import slugify
from wagtail.models import Page, WorkflowState


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
