"""The portal's membership plans from the industry file, and who may assign them.

Idempotent: a plan is created, or its values set where they differ. A plan gone from the file
is deleted if no company ever held it; otherwise it is kept (the history refers to it) but no
longer offered, and the launch report says so.
"""

from django.contrib.auth.models import Group, Permission

from portal.core import changes
from portal.core.models import PortalSettings
from portal.plans.models import QUOTA_FIELDS, PaymentTerms, Plan

from ..schema import Industry, MembershipPlan
from .report import LaunchReport, assign

# What a portal's staff may do with plans in the admin (the views show their portal only).
MODERATOR_PERMISSIONS = [
    "plans.view_plan",
    "plans.add_subscription",
    "plans.change_subscription",
    "plans.view_subscription",
    "plans.add_payment",
    "plans.change_payment",
    "plans.view_payment",
]
EDITOR_PERMISSIONS = ["plans.view_plan", "plans.view_subscription", "plans.view_payment"]


def plan_values(entry: MembershipPlan, industry: Industry, position: int) -> dict:
    """The row values of a plan of the file."""
    return {
        "name": entry.name,
        "is_free": entry.is_free,
        "price": entry.price,
        "currency": entry.currency or industry.currencies[0],
        "period_months": entry.period_months,
        "position": position,
        "offered": True,
        **{quota: getattr(entry.quotas, quota) for quota in QUOTA_FIELDS},
    }


def sync_plans(industry: Industry, settings: PortalSettings, report: LaunchReport) -> None:
    """Create, update and retire the portal's plans; grant staff the plans admin."""
    site = settings.site
    existing = {plan.key: plan for plan in Plan.objects.filter(site=site)}
    touched = False
    for position, entry in enumerate(industry.membership.plans):
        values = plan_values(entry, industry, position)
        plan = existing.pop(entry.key, None)
        if plan is None:
            Plan.objects.create(site=site, key=entry.key, **values)
            report.note(f"membership plan {entry.name!r}")
            touched = True
        elif changed := assign(plan, **values):
            plan.save()
            report.note(f"membership plan {entry.name!r}: {', '.join(changed)}")
            touched = True
    for plan in existing.values():
        touched |= _retire(plan, report)
    terms, _ = PaymentTerms.objects.get_or_create(site=site)
    if assign(terms, payment_instructions=industry.membership.payment_instructions):
        terms.save()
        report.note("membership payment instructions")
    _grant(settings.moderators_group, MODERATOR_PERMISSIONS, report)
    _grant(settings.editors_group, EDITOR_PERMISSIONS, report)
    if touched:
        changes.note(site.pk)  # company pages show plan names


def _retire(plan: Plan, report: LaunchReport) -> bool:
    """Delete a plan gone from the file, or hide it if companies held it; whether it changed."""
    if not plan.subscriptions.exists():
        plan.delete()
        report.note(f"removed membership plan {plan.name!r}")
        return True
    if assign(plan, offered=False, is_free=False):
        plan.save()
        report.warn(
            f"membership plan {plan.name!r} is no longer in the industry file but companies "
            "have held it: kept for their history, no longer offered for assignment"
        )
        return True
    return False


def _grant(group: Group | None, labels: list[str], report: LaunchReport) -> None:
    if group is None:
        return
    wanted = {
        Permission.objects.get(content_type__app_label=label.split(".")[0], codename=codename)
        for label in labels
        for codename in [label.split(".")[1]]
    }
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
        report.note(f"{group.name}: membership plans")
