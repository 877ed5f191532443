"""Plans for the tests: a paid plan with small quotas, subscriptions by date, staff."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from portal.core.models import PortalHomePage, PortalSettings
from portal.directory.models import CompanyPage
from portal.plans.models import Plan, Subscription

from ..conftest import host, today


def site_for(home: PortalHomePage) -> Site:
    return Site.objects.get(root_page=home)


def company_of(home: PortalHomePage, skip: int = 0) -> CompanyPage:
    return CompanyPage.objects.live().descendant_of(home).order_by("pk")[skip]


def make_plan(home: PortalHomePage, key: str = "tiny", **quotas) -> Plan:
    values = {
        "name": key.title(),
        "price": 100,
        "currency": "EUR",
        "period_months": 12,
        "live_listings": None,
        "quotes_per_week": None,
        "featured_slots": None,
        "catalogue_size": None,
        "position": 50,
        **quotas,
    }
    plan, _ = Plan.objects.update_or_create(site=site_for(home), key=key, defaults=values)
    return plan


def subscribe(
    company: CompanyPage, plan: Plan, starts: date | None = None, ends: date | None = None
) -> Subscription:
    starts = starts or today() - timedelta(days=10)
    return Subscription.objects.create(
        site=plan.site,
        company=company,
        plan=plan,
        starts_on=starts,
        ends_on=ends or starts + timedelta(days=365),
        payment_reference="TR-1",
    )


def portal_client(user, home: PortalHomePage) -> Client:
    client = Client(HTTP_HOST=host(home.industry_slug))
    if user is not None:
        client.force_login(user)
    return client


def admin_client(user) -> Client:
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    return client


@pytest.fixture
def make_staff(db):
    def make(home: PortalHomePage, role: str, name: str):
        settings = PortalSettings.objects.get(site=site_for(home))
        user = get_user_model().objects.create_user(name, f"{name}@staff.test", "staff-123")
        user.groups.add(getattr(settings, f"{role}s_group"))
        return user

    return make
