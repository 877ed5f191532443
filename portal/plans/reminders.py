"""Renewal reminders, and telling the page cache about plans that start or lapse.

A paid plan's members hear of its end 30, 7 and 1 days before (each once, recorded in
:class:`~portal.plans.models.Reminder`; a job that missed a day sends the nearest step only,
and a plan already renewed is not reminded). A lapsed plan needs no job: ``current.plan_of``
falls back to the free plan by date; the job only tells the page cache which portals'
company pages changed today.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.core import changes
from portal.mail import absolute, send_templated
from portal.members.models import Membership

from .models import Reminder, Subscription
from .providers import provider

STEPS = (30, 7, 1)  # days before a plan's end


def due_step(days_left: int) -> int | None:
    """The reminder due with ``days_left`` days to go (the nearest step passed), if any."""
    passed = [step for step in STEPS if 0 < days_left <= step]
    return min(passed) if passed else None


def renewed(subscription: Subscription) -> bool:
    return Subscription.objects.filter(
        company_id=subscription.company_id,
        ends_on__gt=subscription.ends_on,
        starts_on__lte=subscription.ends_on + timedelta(days=1),
    ).exists()


def send_renewal_reminders(today: date | None = None) -> int:
    """Send the reminders due today that were not sent before; how many were sent."""
    today = today or timezone.localdate()
    ending = Subscription.objects.filter(
        plan__is_free=False, ends_on__gt=today, ends_on__lte=today + timedelta(days=max(STEPS))
    ).select_related("plan", "company", "site")
    sent = 0
    for subscription in ending:
        step = due_step((subscription.ends_on - today).days)
        if step is None or renewed(subscription):
            continue
        sent += _remind(subscription, step, today)
    return sent


def _remind(subscription: Subscription, step: int, today: date) -> int:
    """Record the reminder, then send it once the record is committed (never twice)."""
    emails = list(
        Membership.objects.filter(
            company_id=subscription.company_id, site_id=subscription.site_id
        ).values_list("user__email", flat=True)
    )
    try:
        with transaction.atomic():
            Reminder.objects.create(
                subscription=subscription, days_before=step, recipients=len(emails)
            )
    except IntegrityError:
        return 0  # sent before, or by a job running at the same time
    site = subscription.site
    context = {
        "subscription": subscription,
        "plan": subscription.plan,
        "company": subscription.company,
        "days_left": (subscription.ends_on - today).days,
        "instructions": provider(subscription.provider or "manual").instructions(site),
        "plan_url": absolute(site, reverse("members:your_plan")),
    }
    transaction.on_commit(lambda: send_templated("plan_renewal", emails, context, site))
    return 1


def note_plans_changed_today(today: date | None = None) -> int:
    """Tell the page cache which portals have a plan starting today or lapsed since
    yesterday (their company pages change); how many portals."""
    today = today or timezone.localdate()
    site_ids = set(
        Subscription.objects.filter(starts_on=today).values_list("site_id", flat=True)
    ) | set(
        Subscription.objects.filter(ends_on=today - timedelta(days=1)).values_list(
            "site_id", flat=True
        )
    )
    with changes.batch():
        for site_id in site_ids:
            changes.note(site_id)
    return len(site_ids)
