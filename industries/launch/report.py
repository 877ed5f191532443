"""What a launch did, and the two moves every step makes: set what differs, and publish a
page's new values unless an editor has work in progress on it."""

from dataclasses import dataclass, field

from wagtail.models import Page, Site

from portal.core.models import PortalHomePage


@dataclass
class LaunchReport:
    """What a launch did; ``changes`` is empty when the portal was already up to date."""

    site: Site
    home: PortalHomePage
    created: bool
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.changes.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def assign(obj: object, **values: object) -> list[str]:
    """Set attributes that differ; return the names that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def update_page(
    page: Page, values: dict[str, object], report: LaunchReport, republish: bool = False
) -> None:
    """Publish the file's values on ``page``, unless an editor has work in progress on it.

    ``republish`` brings back a page that was unpublished (a section back in the file).
    """
    title = page.title
    changed = assign(page, **values)
    if not changed and not republish:
        return
    if page.workflow_in_progress or (page.has_unpublished_changes and not republish):
        report.warn(
            f"{title}: not updated ({', '.join(changed)}) because it has unpublished "
            "changes; publish or discard them in the admin and launch again"
        )
        return
    page.save_revision().publish()
    report.note(f"{page.title}: {', '.join(changed) or 'published again'}")
