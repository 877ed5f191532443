"""The plans admin is per portal: a portal's moderators assign its plans to its companies and
record payments; another portal's staff reach none of them (404) and are never offered them;
editors only look; members and visitors are refused; nothing is deleted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portal.plans.models import Payment, PaymentStatus, Subscription
from portal.plans.periods import period_end

from .conftest import admin_client, company_of, make_plan, site_for, subscribe, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(steel, textiles):
    """An assignment with its payment in each portal."""
    made = {}
    for home in (steel, textiles):
        subscription = subscribe(company_of(home), make_plan(home, "gold"))
        payment = Payment.objects.create(
            site=site_for(home),
            company=subscription.company,
            subscription=subscription,
            reference=f"TR-{home.industry_slug}",
            amount=Decimal(100),
            currency="EUR",
            status=PaymentStatus.PAID,
            recorded_on=today(),
        )
        made[home.industry_slug] = (subscription, payment)
    return made


def object_urls(subscription, payment) -> list[str]:
    return [
        reverse(f"{viewset}:{name}", args=[obj.pk])
        for viewset, obj in (("plan_assignments", subscription), ("plan_payments", payment))
        for name in ("edit", "inspect", "history", "usage", "delete")
    ]


def test_another_portals_staff_reach_nothing(records, steel, make_staff):
    client = admin_client(make_staff(steel, "moderator", "steel-mod"))
    subscription, payment = records["textiles"]
    for url in object_urls(subscription, payment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reference": "hijack", "status": "refunded"}).status_code == 404
    payment.refresh_from_db()
    assert payment.reference == "TR-textiles"
    for listing in ("plan_assignments:index", "plan_payments:index"):
        html = client.get(reverse(listing)).content.decode()
        assert "TR-steel" in html or company_of(steel).title in html
        assert "TR-textiles" not in html and subscription.company.title not in html


def test_moderators_assign_their_portals_plans_only(records, steel, textiles, make_staff):
    client = admin_client(make_staff(steel, "moderator", "steel-mod"))
    form = client.get(reverse("plan_assignments:add")).content.decode()
    foreign_company, foreign_plan = company_of(textiles, 1), make_plan(textiles, "silver")
    assert f'value="{foreign_company.pk}"' not in form
    assert f'value="{foreign_plan.pk}"' not in form
    company, plan = company_of(steel, 1), make_plan(steel, "silver", period_months=12)
    data = {
        "company": company.pk,
        "plan": plan.pk,
        "starts_on": today().isoformat(),
        "ends_on": "",
        "payment_reference": "TR-2026-001",
        "provider": "manual",
        "notes": "",
    }
    refused = client.post(reverse("plan_assignments:add"), {**data, "company": foreign_company.pk})
    assert (
        refused.status_code == 200
        and not Subscription.objects.filter(company=foreign_company).exists()
    )
    assert client.post(reverse("plan_assignments:add"), data).status_code == 302
    made = Subscription.objects.get(company=company)
    assert made.site == site_for(steel) and made.assigned_by.username == "steel-mod"
    assert made.ends_on == period_end(today(), 12)  # the plan's period, left empty


def test_recording_a_payment_through_the_manual_provider(records, steel, make_staff):
    client = admin_client(make_staff(steel, "moderator", "steel-mod"))
    subscription, _ = records["steel"]
    foreign, _ = records["textiles"]
    form = client.get(reverse("plan_payments:add")).content.decode()
    assert f'value="{subscription.pk}"' in form and f'value="{foreign.pk}"' not in form
    data = {
        "subscription": subscription.pk,
        "reference": "BANK-77",
        "amount": "490",
        "currency": "",
        "recorded_on": today().isoformat(),
    }
    assert (
        client.post(reverse("plan_payments:add"), {**data, "subscription": foreign.pk}).status_code
        == 200
    )
    assert client.post(reverse("plan_payments:add"), data).status_code == 302
    payment = Payment.objects.get(reference="BANK-77")
    assert (payment.status, payment.provider, payment.currency) == ("paid", "manual", "EUR")
    assert payment.company == subscription.company and payment.recorded_by.username == "steel-mod"


def test_editors_look_members_and_visitors_are_refused(records, steel, make_staff, make_member):
    subscription, payment = records["steel"]
    editor = admin_client(make_staff(steel, "editor", "steel-ed"))
    assert editor.get(reverse("plan_assignments:index")).status_code == 200
    assert editor.get(reverse("plan_assignments:add")).status_code in (302, 403)
    assert editor.post(
        reverse("plan_payments:edit", args=[payment.pk]), {"reference": "x", "status": "refunded"}
    ).status_code in (302, 403)
    member = admin_client(make_member(steel, "nosy").user)
    for url in [reverse("plan_assignments:index"), *object_urls(subscription, payment)]:
        assert member.get(url).status_code in (302, 403, 404), url
    from django.test import Client

    anonymous = Client(HTTP_HOST="localhost:8000")
    response = anonymous.get(reverse("plan_assignments:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_nothing_is_deleted(records, steel, make_staff):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    client = admin_client(admin)
    subscription, _ = records["steel"]
    response = client.post(reverse("plan_assignments:delete", args=[subscription.pk]))
    assert response.status_code in (302, 403)
    assert Subscription.objects.filter(pk=subscription.pk).exists()
