"""Fixtures of the API tests: a client on a portal's address, members with tokens."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from portal.api.tokens import create_token
from portal.core.models import Category, PortalSettings, Region

from ..conftest import host

API = "/api/v1"


class Api:
    """A client of one portal's API, with a token or without."""

    def __init__(self, slug: str, token: str = "") -> None:
        self.client = Client()
        self.headers = {"HTTP_HOST": host(slug)}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def get(self, path: str, data: Any = None, **extra: Any):
        return self.client.get(API + path, data, **self.headers, **extra)

    def send(self, method: str, path: str, body: Any = None, **extra: Any):
        call = getattr(self.client, method)
        return call(API + path, body, content_type="application/json", **self.headers, **extra)


@pytest.fixture
def api() -> Callable[..., Api]:
    return Api


@pytest.fixture
def steel_api() -> Api:
    return Api("steel")


@pytest.fixture
def supplier(steel, make_member):
    return make_member(steel, "supplier")


@pytest.fixture
def token_of() -> Callable[[Any], str]:
    return lambda membership: create_token(membership, "tests")[1]


def listing_body(site, **extra: Any) -> dict[str, Any]:
    """A sell offer the posting form accepts, in the API's terms (slugs and codes)."""
    category = (
        Category.objects.for_site(site).filter(children__isnull=True, parent__isnull=False).first()
    )
    settings = PortalSettings.for_site(site)
    return {
        "kind": "sell",
        "title": "HRB500 rebar, 12 mm, by API",
        "category": category.slug,
        "region": Region.objects.filter(site=site).first().code,
        "description": "Fresh mill stock.\nLoading from our yard.",
        "quantity": "500",
        "unit": settings.units[0]["code"],
        "price_min": "610",
        "currency": settings.currencies[0],
        "incoterm": "FOB",
        "moq": "50",
        "specification": "HRB500",
        **extra,
    }


def approve(page, site) -> None:
    """A moderator of the page's portal approves it, through the admin."""
    user = get_user_model().objects.create_user(f"mod-{page.pk}", f"mod{page.pk}@x.test", "pw")
    user.groups.add(PortalSettings.for_site(site).moderators_group)
    client = Client()
    client.force_login(user)
    task_state = page.current_workflow_state.current_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
        HTTP_HOST="localhost:8000",
    )
