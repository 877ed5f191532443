"""The members group of a portal: every member's user in it, and no one else.

Wagtail's privacy ("private, for users in specific groups") keeps a page or a collection of
documents for a portal's members by naming this group; the launcher makes it (see
``industries/launch/access.py``) and memberships keep it filled.
"""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .models import MembersGroup, Membership


def members_group(site: Site | int) -> Group | None:
    """The group of the portal at ``site`` (or its id), if the portal has one."""
    site_id = site.pk if isinstance(site, Site) else site
    row = MembersGroup.objects.filter(site_id=site_id).select_related("group").first()
    return row.group if row else None


def sync_members_group(site: Site) -> int:
    """Make the group hold exactly the portal's members; returns how many users changed."""
    group = members_group(site)
    if group is None:
        return 0
    wanted = set(Membership.objects.filter(site=site).values_list("user_id", flat=True))
    present = set(group.user_set.values_list("pk", flat=True))
    if wanted - present:
        group.user_set.add(*(wanted - present))
    if present - wanted:
        group.user_set.remove(*(present - wanted))
    return len(wanted ^ present)


def _joined(sender: type, instance: Membership, **kwargs) -> None:
    group = members_group(instance.site_id)
    if group is not None:
        group.user_set.add(instance.user_id)


def _left(sender: type, instance: Membership, **kwargs) -> None:
    group = members_group(instance.site_id)
    if group is not None:
        group.user_set.remove(instance.user_id)


def connect() -> None:
    """Follow memberships as they are made and ended (from ``MembersConfig.ready``)."""
    post_save.connect(_joined, sender=Membership, dispatch_uid="members-group-join")
    post_delete.connect(_left, sender=Membership, dispatch_uid="members-group-leave")
