"""``demo_plans``: on every portal, demo companies on paid plans (current, ending within a
week, lapsed) with their payments; running it again changes nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from portal.plans.current import plan_of
from portal.plans.demo import DEMO_NOTE
from portal.plans.models import Payment, Subscription

from .conftest import today

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(
        Subscription.objects.filter(notes=DEMO_NOTE)
        .order_by("site_id", "company_id", "starts_on")
        .values_list(
            "site_id", "company_id", "plan__key", "starts_on", "ends_on", "payment_reference"
        )
    )


def test_demo_plans_fill_every_portal_and_are_idempotent(steel, textiles):
    call_command("demo_plans", verbosity=0)
    first = snapshot()
    call_command("demo_plans", verbosity=0)
    assert snapshot() == first
    assert Payment.objects.filter(reference__startswith="DEMO-").count() == len(first)
    for home in (steel, textiles):
        mine = Subscription.objects.filter(notes=DEMO_NOTE, company__path__startswith=home.path)
        assert mine.count() == 4
        assert mine.filter(ends_on__lt=today()).count() == 1  # lapsed: free again
        lapsed = mine.get(ends_on__lt=today())
        assert plan_of(lapsed.company).is_free
        soon = mine.filter(ends_on__gte=today(), ends_on__lte=today() + timedelta(days=7))
        assert soon.count() == 1
