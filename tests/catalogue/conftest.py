"""What the catalogue tests share: members of the steel portal, a product as the form posts
it, the steel portal's choices, moderators' decisions, and a plan of a given size."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from portal.catalogue.lifecycle import catalogue_size
from portal.catalogue.models import ProductPage
from portal.core.models import PortalSettings
from portal.plans.models import Plan, Subscription

from ..conftest import host, leaf_category

STEEL = host("steel")
TEXTILES = host("textiles")


@pytest.fixture
def member(steel, make_member):
    return make_member(steel, "cataloguer")


@pytest.fixture
def other_member(steel, make_member):
    return make_member(steel, "rival")


@pytest.fixture
def choices(steel, site_of) -> dict:
    """Values of the steel portal's choice fields, as the product form posts them."""
    site = site_of(steel)
    settings = PortalSettings.for_site(site)
    category = leaf_category(site)
    return {
        "category": category,
        "unit": settings.units[0]["code"],
        "currency": settings.currencies[0],
    }


@pytest.fixture
def product_data(choices) -> dict:
    return {
        "title": "Cold-rolled strip DC01, 0.5 mm",
        "category": str(choices["category"].pk),
        "summary": "Slit cold-rolled strip from our own line.",
        "specification": "Grade: DC01\nThickness: 0.5 mm",
        "moq": "20",
        "unit": choices["unit"],
        "price_min": "720",
        "price_max": "760",
        "currency": choices["currency"],
    }


def member_client(membership, slug_host: str = STEEL) -> Client:
    client = Client(HTTP_HOST=slug_host)
    client.force_login(membership.user)
    return client


def moderator(site) -> Client:
    """A moderator of ``site``'s portal, signed in to the admin."""
    name = f"moderator-{site.pk}"
    user, _ = get_user_model().objects.get_or_create(
        username=name, defaults={"email": f"{name}@example.test"}
    )
    user.groups.add(PortalSettings.for_site(site).moderators_group)
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    return client


def decide(page: ProductPage, site, action: str, comment: str = "") -> None:
    """A moderator of the page's portal approves or rejects its submission in the admin."""
    task_state = page.current_workflow_state.current_task_state
    response = moderator(site).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": comment},
    )
    assert response.status_code in (200, 302), response.status_code


def allow_products(site, company, more: int) -> Plan:
    """Put ``company`` on the portal's free plan, at ``more`` products beyond what it has."""
    Subscription.objects.filter(company=company).delete()
    plan = Plan.objects.filter(site=site, is_free=True).first() or Plan(
        site=site, key="free", name="Free", is_free=True, currency="USD"
    )
    plan.catalogue_size = catalogue_size(company) + more
    plan.save()
    return plan
