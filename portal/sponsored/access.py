"""Who edits which portal's sponsored placement: the portal's editors and moderators (the
launcher gives their groups :data:`EDITOR_PERMISSIONS`); superusers every portal's."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from wagtail.models import Page, Site

from portal.core.models import PortalSettings

EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("sponsorship", "housead")
    for action in ("add", "change", "delete", "view")
]


def grant_editors(groups: list[Group]) -> bool:
    """Give ``groups`` the permissions on sponsorships and house ads; whether any was new."""
    wanted = list(
        Permission.objects.filter(
            content_type__app_label="sponsored", codename__in=EDITOR_PERMISSIONS
        )
    )
    added = False
    for group in groups:
        missing = set(wanted) - set(group.permissions.all())
        if missing:
            group.permissions.add(*missing)
            added = True
    return added


def edited_site_ids(user) -> list[int] | None:
    """Sites whose editors or moderators group ``user`` is in; None means every site."""
    if user.is_superuser:
        return None
    if not user.is_authenticated:
        return []
    groups = user.groups.all()
    return list(
        PortalSettings.objects.filter(
            Q(editors_group__in=groups) | Q(moderators_group__in=groups)
        ).values_list("site_id", flat=True)
    )


def edited_sites(user) -> QuerySet:
    site_ids = edited_site_ids(user)
    sites = Site.objects.select_related("root_page").order_by("site_name", "hostname")
    return sites if site_ids is None else sites.filter(pk__in=site_ids)


def within_sites(sites: QuerySet) -> Q:
    """The home pages of ``sites`` and the pages below them."""
    within = Q(pk__in=[])
    for path in Page.objects.filter(sites_rooted_here__in=sites).values_list("path", flat=True):
        within |= Q(path__startswith=path)
    return within
