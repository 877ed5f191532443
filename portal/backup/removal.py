"""Which portals stand where an archive's portal would go, and removing one (``--replace``)."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Q
from wagtail.models import Collection, Page, Site, Task, Workflow

from portal.core.models import PortalHomePage, PortalSettings
from portal.plans.models import Subscription
from search.sync import forget

from .archive import BackupError


def portal_in_the_way(portal: dict[str, Any], group_names: list[str]) -> PortalHomePage | None:
    """The portal here with the archive's slug or hostname, if any. Raises when something
    else is in the way: two different portals, a site or top-level page that is not a portal,
    or a group of the archive's name that another portal owns."""
    slug, hostname, port = portal["slug"], portal["hostname"], int(portal["port"])
    found = set()
    if home := PortalHomePage.objects.filter(industry_slug=slug).first():
        found.add(home)
    site = Site.objects.filter(hostname=hostname, port=port).select_related("root_page").first()
    if site is not None:
        root = site.root_page.specific
        if not isinstance(root, PortalHomePage):
            raise BackupError(
                f"{hostname}:{port} is the site {site.site_name!r}, which is not a portal; "
                "give that site another hostname first"
            )
        found.add(root)
    top = Page.get_first_root_node().get_children().filter(slug=slug).first()
    if top is not None and top.specific_class is not PortalHomePage:
        raise BackupError(f"a top-level page with slug {slug!r} exists and is not a portal")
    if len(found) > 1:
        names = " and ".join(sorted(repr(home.title) for home in found))
        raise BackupError(
            f"the slug {slug!r} and the hostname {hostname}:{port} belong to two portals "
            f"({names}); remove one of them first"
        )
    home = next(iter(found), None)
    for name in group_names:
        owner = (
            PortalSettings.objects.filter(
                Q(editors_group__name=name) | Q(moderators_group__name=name)
            )
            .exclude(site__root_page=home)
            .select_related("site")
            .first()
        )
        if owner is not None:
            raise BackupError(
                f"the group {name!r} belongs to the portal {owner.site.site_name!r}; "
                "rename that portal first"
            )
    return home


def remove_portal(home: PortalHomePage) -> None:
    """Delete a portal: its pages (with their revisions, site, settings, taxonomy, plans,
    members' memberships and inquiries), its moderation workflow, media collection and
    groups. People's accounts stay. Media files are deleted by Wagtail once the transaction
    commits."""
    site = Site.objects.filter(root_page=home).first()
    settings = PortalSettings.objects.filter(site=site).first() if site else None
    workflows = list(Workflow.objects.filter(workflow_pages__page=home))
    tasks = list(Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct())
    # Search forgets the pages at once; deleting them (and their categories) one by one would
    # otherwise rebuild documents that are about to go.
    forget(Page.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True))
    if site is not None:  # companies' plans first: a plan held by a company is restricted
        Subscription.objects.filter(site=site).delete()
    home.delete()
    for workflow in workflows:
        workflow.delete()
    for task in tasks:
        if not task.workflow_tasks.exists():
            task.specific.delete()
    if settings is None:
        return
    if settings.collection_id:
        Collection.objects.filter(pk=settings.collection_id).first().delete()
    Group.objects.filter(pk__in=[settings.editors_group_id, settings.moderators_group_id]).delete()
