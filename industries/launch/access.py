"""Who may do what on the portal: its editors and moderators groups, their permissions on the
sections and on the portal's own media collection; its members group, and the collection of
documents only members (and the portal's editors and moderators) may download; its verifiers
group, and the collection of their evidence."""

from typing import TypeVar

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from portal.core.models import PortalSettings
from portal.core.sections import section_types
from portal.members.groups import sync_members_group
from portal.members.models import MembersGroup
from portal.sponsored.access import grant_editors as grant_sponsored_editors
from portal.verification.models import Verifiers

from ..loader import IndustryError
from ..schema import Industry
from .report import LaunchReport, assign

T = TypeVar("T", MembersGroup, Verifiers)

# Granted on each section page (not the home page): editors and moderators manage content,
# the portal's structure comes from its industry file. Without bulk_delete nobody but a
# superuser can delete a section.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
MEDIA_MODELS = ["wagtailimages.image", "wagtaildocs.document"]
EDITOR_MEDIA_ACTIONS = ["add", "change", "choose"]
MODERATOR_MEDIA_ACTIONS = [*EDITOR_MEDIA_ACTIONS, "delete"]


def _owned(
    current,
    model,
    name: str,
    settings: PortalSettings,
    field_name: str,
    create,
    report: LaunchReport,
):
    """What the portal made before (renamed to ``name``), else a new one.

    Never adopts an object of that name that another portal owns: two portals sharing a group
    or collection would let one portal's editors into the other.
    """
    if current is None:
        taken = model.objects.filter(name=name).first()
        if taken is not None:
            owner = (
                PortalSettings.objects.filter(**{field_name: taken})
                .exclude(pk=settings.pk)
                .select_related("site")
                .first()
            )
            if owner is not None:
                raise IndustryError(
                    f"name: {name!r} is already used by the portal {owner.site.site_name!r}; "
                    "each portal needs a name of its own"
                )
        current = taken or create()
    if current.name != name:
        report.note(f"renamed {current.name!r} to {name!r}")
        current.name = name
        current.save()
    return current


def grant_access(
    industry: Industry, sections: list[Page], settings: PortalSettings, report: LaunchReport
) -> None:
    name = industry.name
    root_collection = Collection.get_first_root_node()
    collection = _owned(
        settings.collection,
        Collection,
        name,
        settings,
        "collection",
        lambda: root_collection.add_child(name=name),
        report,
    )
    editors = _owned(
        settings.editors_group,
        Group,
        f"{name} editors",
        settings,
        "editors_group",
        lambda: Group.objects.create(name=f"{name} editors"),
        report,
    )
    moderators = _owned(
        settings.moderators_group,
        Group,
        f"{name} moderators",
        settings,
        "moderators_group",
        lambda: Group.objects.create(name=f"{name} moderators"),
        report,
    )
    if assign(settings, collection=collection, editors_group=editors, moderators_group=moderators):
        settings.save()
        report.note("editor and moderator groups, media collection")
    grant_members_access(name, settings, [editors, moderators], report)
    grant_verifiers_access(name, settings, report)
    if grant_sponsored_editors([editors, moderators]):
        report.note("editors and moderators: sponsorships and house ads")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    # What the section types give moderators (e.g. reading inquiries: the admin shows them
    # their own portal's only).
    for entry in section_types():
        for label in entry.moderator_permissions:
            app_label, codename = label.split(".")
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            if not moderators.permissions.filter(pk=permission.pk).exists():
                moderators.permissions.add(permission)
                report.note(f"{moderators.name}: {permission.name.lower()}")
    page_type = ContentType.objects.get_for_model(Page)
    for group, page_codenames, media_actions in (
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_MEDIA_ACTIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS, MODERATOR_MEDIA_ACTIONS),
    ):
        group.permissions.add(access_admin)
        permission_ids = list(
            Permission.objects.filter(
                content_type=page_type, codename__in=page_codenames
            ).values_list("pk", flat=True)
        )
        wanted_pages = {(section.pk, pk) for section in sections for pk in permission_ids}
        granted = set(
            GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
        )
        for page_id, permission_id in wanted_pages - granted:
            GroupPagePermission.objects.create(
                group=group, page_id=page_id, permission_id=permission_id
            )
        stale = granted - wanted_pages
        for page_id, permission_id in stale:
            GroupPagePermission.objects.filter(
                group=group, page_id=page_id, permission_id=permission_id
            ).delete()
        if wanted_pages - granted or stale:
            report.note(f"{group.name}: page permissions")
        for label in MEDIA_MODELS:
            app_label, model = label.split(".")
            for action in media_actions:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                _, made = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
                if made:
                    report.note(f"{group.name}: {action} {model}")


def portal_group(
    model: type[T], noun: str, group_name: str, settings: PortalSettings, report: LaunchReport
) -> T:
    """The portal's record of its ``noun`` group (``model``: one per site, with its ``group``):
    made with a group of ``group_name`` (taken over if it exists and is no other portal's), or
    its group renamed to it."""
    access = model.objects.filter(site=settings.site).select_related("group").first()
    if access is None:
        taken = Group.objects.filter(name=group_name).first()
        if taken is not None and model.objects.filter(group=taken).exists():
            raise IndustryError(
                f"name: {group_name!r} is already another portal's {noun} group; "
                "each portal needs a name of its own"
            )
        group = taken or Group.objects.create(name=group_name)
        access = model.objects.create(site=settings.site, group=group)
        report.note(f"{noun} group {group_name!r}")
    elif access.group.name != group_name:
        report.note(f"renamed {access.group.name!r} to {group_name!r}")
        access.group.name = group_name
        access.group.save()
    return access


def grant_members_access(
    name: str,
    settings: PortalSettings,
    readers: list[Group],
    report: LaunchReport,
) -> MembersGroup:
    """The portal's members group (filled from its memberships) and its members-only
    collection, below the portal's own and viewable by the members group and ``readers``."""
    group_name, collection_name = f"{name} members", f"{name} members only"
    access = portal_group(MembersGroup, "members", group_name, settings, report)
    collection = access.collection
    if collection is None:
        collection = settings.collection.add_child(name=collection_name)
        access.collection = collection
        access.save(update_fields=["collection"])
        report.note(f"collection {collection_name!r}")
    elif collection.name != collection_name:
        report.note(f"renamed {collection.name!r} to {collection_name!r}")
        collection.name = collection_name
        collection.save()
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    viewers = [access.group, *readers]
    if set(restriction.groups.all()) != set(viewers):
        restriction.restriction_type = CollectionViewRestriction.GROUPS
        restriction.save()
        restriction.groups.set(viewers)
        report.note(f"{collection_name}: only for {', '.join(g.name for g in viewers)}")
    if sync_members_group(settings.site):
        report.note(f"{group_name}: members")
    return access


# What a portal's verifiers may do in the admin: record checks (never delete them) and move
# requests on; the views show them their own portal's only.
VERIFIER_PERMISSIONS = [
    "directory.add_verificationcheck",
    "directory.change_verificationcheck",
    "directory.view_verificationcheck",
    "directory.change_verificationrequest",
    "directory.view_verificationrequest",
]


def grant_verifiers_access(name: str, settings: PortalSettings, report: LaunchReport) -> Verifiers:
    """The portal's verifiers group and its evidence collection: at the top of the collection
    tree (not below the portal's own, whose editors would see it), viewable by no one through
    Wagtail's document URLs (the verification app serves evidence, to verifiers only)."""
    group_name, collection_name = f"{name} verifiers", f"{name} verification evidence"
    access = portal_group(Verifiers, "verifiers", group_name, settings, report)
    if access.collection is None:
        access.collection = Collection.get_first_root_node().add_child(name=collection_name)
        access.save(update_fields=["collection"])
        report.note(f"collection {collection_name!r}")
    elif access.collection.name != collection_name:
        access.collection.name = collection_name
        access.collection.save()
    restriction, made = CollectionViewRestriction.objects.get_or_create(
        collection=access.collection,
        defaults={"restriction_type": CollectionViewRestriction.GROUPS},
    )
    if made or set(restriction.groups.all()) != {access.group}:
        restriction.groups.set([access.group])
    wanted = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    ]
    for label in VERIFIER_PERMISSIONS:
        app_label, codename = label.split(".")
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    missing = set(wanted) - set(access.group.permissions.all())
    if missing:
        access.group.permissions.add(*missing)
        report.note(f"{group_name}: record checks, review requests")
    return access
