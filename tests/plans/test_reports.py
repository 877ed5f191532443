"""The association's reports: members by plan and month, payments; each portal's staff see
their own rows only, download them as CSV; members and visitors are refused."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from portal.plans.models import Payment, PaymentStatus

from .conftest import admin_client, company_of, make_plan, site_for, subscribe, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(steel, textiles):
    for home in (steel, textiles):
        slug = home.industry_slug
        subscription = subscribe(
            company_of(home), make_plan(home, f"gold-{slug}"), today() - timedelta(days=3)
        )
        Payment.objects.create(
            site=site_for(home),
            company=subscription.company,
            subscription=subscription,
            reference=f"TR-{slug}",
            amount=Decimal(490),
            currency="USD",
            status=PaymentStatus.PAID,
            recorded_on=today(),
        )


def rows(response) -> list[list[str]]:
    text = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_payments_report_shows_and_exports_own_portal_only(paid, steel, make_staff):
    client = admin_client(make_staff(steel, "editor", "steel-ed"))
    html = client.get(reverse("plans_reports:payments")).content.decode()
    assert "TR-steel" in html and "TR-textiles" not in html
    exported = rows(client.get(reverse("plans_reports:payments"), {"export": "csv"}))
    assert exported[0][:3] == ["Portal", "Received on", "Company"]
    assert [row[5] for row in exported[1:]] == ["TR-steel"]


def test_members_by_plan_counts_companies_per_month(paid, steel, make_staff):
    client = admin_client(make_staff(steel, "moderator", "steel-mod"))
    exported = rows(client.get(reverse("plans_reports:members"), {"export": "csv"}))
    assert exported[0] == ["Portal", "Month", "Plan", "Companies"]
    this_month = today().strftime("%Y-%m")
    mine = {(row[1], row[2]): int(row[3]) for row in exported[1:]}
    assert mine[(this_month, "Gold-Steel")] == 1
    assert not any("Textiles" in row[2] for row in exported[1:])
    assert {row[0] for row in exported[1:]} == {site_for(steel).site_name}
    assert mine[(this_month, "Free")] > 0


def test_members_and_visitors_are_refused(paid, steel, make_member):
    member = admin_client(make_member(steel, "nosy").user)
    for name in ("plans_reports:payments", "plans_reports:members"):
        assert member.get(reverse(name)).status_code in (302, 403)
        response = Client(HTTP_HOST="localhost:8000").get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
