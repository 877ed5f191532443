"""The plan a company is on, by date: its newest subscription covering the day, else the
portal's free plan. A lapsed plan needs no job to fall back to free."""

from datetime import date

from django.utils import timezone

from .models import Plan, Subscription


def default_free_plan(site) -> Plan:
    """The free plan of a portal launched before it had plans: unlimited, never saved."""
    return Plan(site=site, key="free", name="Free", is_free=True, currency="", period_months=0)


def free_plan(site) -> Plan:
    """The portal's free plan (the unlimited default when the portal has none)."""
    plan = Plan.objects.filter(site=site, is_free=True).order_by("position", "pk").first()
    return plan if plan is not None else default_free_plan(site)


def subscription_of(company, on: date | None = None) -> Subscription | None:
    """The company's subscription in force on ``on`` (today), if any."""
    on = on or timezone.localdate()
    return (
        Subscription.objects.filter(company=company, starts_on__lte=on, ends_on__gte=on)
        .select_related("plan")
        .order_by("-starts_on", "-pk")
        .first()
    )


def plan_of(company, on: date | None = None) -> Plan:
    """The plan in force for ``company`` on ``on`` (today): the active subscription's plan,
    else the portal's free plan."""
    subscription = subscription_of(company, on)
    if subscription is not None:
        return subscription.plan
    return free_plan(company.portal_site)
