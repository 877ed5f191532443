"""Who verifies which portal: the verifiers group of each portal (made by the launcher)."""

from django.db.models import Q, QuerySet
from wagtail.models import Page, Site

from portal.directory.models import CompanyPage

from .models import Verifiers


def verifiers_of(site: Site | int) -> Verifiers | None:
    site_id = site.pk if isinstance(site, Site) else site
    return Verifiers.objects.filter(site_id=site_id).select_related("group", "collection").first()


def verified_site_ids(user) -> list[int] | None:
    """Sites whose verifiers group ``user`` is in; None means every site (superuser)."""
    if user.is_superuser:
        return None
    if not user.is_authenticated:
        return []
    return list(
        Verifiers.objects.filter(group__in=user.groups.all()).values_list("site_id", flat=True)
    )


def companies_for(user) -> QuerySet:
    """The companies ``user`` may record checks for: those of the portals they verify."""
    site_ids = verified_site_ids(user)
    companies = CompanyPage.objects.all()
    if site_ids is None:
        return companies
    roots = Page.objects.filter(sites_rooted_here__pk__in=site_ids).values_list("path", flat=True)
    within = Q(pk__in=[])
    for path in roots:
        within |= Q(path__startswith=path)
    return companies.filter(within)
