"""Demo plan assignments: on every portal a few demo companies on paid plans (current ones,
one ending within a week, one lapsed), each with its bank transfer recorded. Deterministic
and idempotent: the demo's own assignments are replaced, nothing else is touched."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from portal.core import changes
from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage
from portal.members.models import Membership

from .models import Payment, Plan, Subscription
from .periods import add_months, period_end
from .providers import provider

DEMO_NOTE = "Demo assignment."


def demo_starts(today: date) -> list[tuple[str, date, int | None]]:
    """(tier, start, months) of each demo assignment: tier "top" or "entry" (the highest or
    lowest paid plan); months None for the plan's own period."""
    return [
        ("top", today - timedelta(days=200), None),  # current
        ("entry", today - timedelta(days=60), None),  # current
        ("entry", add_months(today, -12) + timedelta(days=5), 12),  # ends within a week
        ("top", add_months(today, -14), 12),  # lapsed two months ago: free again
    ]


def demo_plans(home: PortalHomePage, today: date | None = None) -> list[str]:
    """Replace the demo assignments of ``home``'s portal; a line for each."""
    today = today or timezone.localdate()
    site = Site.objects.get(root_page=home)
    paid = list(Plan.objects.filter(site=site, is_free=False, offered=True).order_by("position"))
    if not paid:
        return []
    tiers = {"entry": paid[0], "top": paid[-1]}
    lines = []
    with transaction.atomic():
        old = Subscription.objects.filter(site=site, notes=DEMO_NOTE)
        Payment.objects.filter(subscription__in=old).delete()
        old.delete()
        for number, (company, (tier, starts, months)) in enumerate(
            zip(demo_companies(site), demo_starts(today), strict=False), start=1
        ):
            plan = tiers[tier]
            ends = period_end(starts, months or plan.period_months)
            reference = f"DEMO-{home.industry_slug.upper()}-{number:03d}"
            subscription = Subscription.objects.create(
                site=site,
                company=company,
                plan=plan,
                starts_on=starts,
                ends_on=ends,
                payment_reference=reference,
                provider="manual",
                notes=DEMO_NOTE,
            )
            provider("manual").record(subscription, reference, plan.price, plan.currency, on=starts)
            state = "lapsed" if ends < today else f"until {ends.isoformat()}"
            lines.append(f"{company.title}: {plan.name}, {state}")
        changes.note(site.pk)
    return lines


def demo_companies(site: Site) -> list[CompanyPage]:
    """The demo supplier's company first (if the demo accounts exist), then the portal's
    first live companies."""
    companies = list(CompanyPage.objects.live().descendant_of(site.root_page).order_by("pk")[:4])
    slug = site.root_page.specific.industry_slug
    member = (
        Membership.objects.filter(site=site, user__email=f"supplier@{slug}.example")
        .select_related("company")
        .first()
    )
    if member is not None and member.company is not None:
        companies = [member.company, *[c for c in companies if c.pk != member.company_id]]
    return companies[:4]
