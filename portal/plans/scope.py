"""Which portals' plans, assignments and payments a member of staff may see: the portals
whose pages they may explore (their editors and moderators), every one for a superuser."""

from django.db.models import Q, QuerySet

from portal.core.admin_reports import visible_sites
from portal.directory.models import CompanyPage

from .models import Payment, Plan, Subscription


def staff_site_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return [site.pk for site in visible_sites(user)]


def staff_companies(user) -> QuerySet:
    """The companies of the user's portals."""
    within = Q(pk__in=[])
    for site in visible_sites(user) if user.is_authenticated else []:
        within |= Q(path__startswith=site.root_page.path)
    return CompanyPage.objects.filter(within)


def staff_plans(user, offered_only: bool = False) -> QuerySet:
    plans = Plan.objects.filter(site_id__in=staff_site_ids(user)).select_related("site")
    return plans.filter(offered=True) if offered_only else plans


def staff_subscriptions(user) -> QuerySet:
    return Subscription.objects.filter(site_id__in=staff_site_ids(user)).select_related(
        "company", "plan", "site"
    )


def staff_payments(user) -> QuerySet:
    return Payment.objects.filter(site_id__in=staff_site_ids(user)).select_related(
        "company", "subscription__plan", "site"
    )
