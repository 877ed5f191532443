"""Wagtail's admin reports take no object, so the permission matrix does not ask them: their
rows are limited to what the user may edit, but their filters (and the page types usage's
counts and last edited pages) spoke of every portal. Here an editor and a moderator of portal A
see none of portal B's names in them, while a superuser still does."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page

from portal.board.models import SellOfferPage

from .test_permission_matrix import ADMIN_HOST, PortalObjects, build

pytestmark = pytest.mark.django_db

REPORTS = (
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
)


@pytest.fixture
def portals() -> tuple[PortalObjects, PortalObjects]:
    """Portal A (steel) and portal B (textiles), each with its people and objects."""
    return build("steel"), build("textiles")


def names_of(portal: PortalObjects) -> list[str]:
    """What of ``portal`` a report could name: its people, workflow and task, site, pages."""
    site = portal.site
    return [
        *(user.get_username() for user in portal.users),
        portal.workflow.name,
        portal.task.name,
        site.site_name,
        site.hostname,
        portal.live.title,
        portal.pending.title,
        *portal.markers,
    ]


def shown(client: Client, name: str, names: list[str]) -> tuple[int, list[str]]:
    response = client.get(reverse(name), HTTP_HOST=ADMIN_HOST)
    body = response.content.decode()
    return response.status_code, [each for each in names if each and escape(each) in body]


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_reports_name_nothing_of_another_portal(role, portals):
    a, b = portals
    client = Client()
    client.force_login(getattr(a, role))
    names = names_of(b)
    answers = {name: shown(client, name, names) for name in REPORTS}
    assert all(status == 200 for status, _ in answers.values()), answers
    leaks = {name: found for name, (_, found) in answers.items() if found}
    assert not leaks, leaks


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_the_reports_still_name_the_roles_own_portal(role, portals):
    """The positive control: A's own submitter, workflow and pages are there."""
    a, _ = portals
    client = Client()
    client.force_login(getattr(a, role))
    for name, own in (
        ("wagtailadmin_reports:workflow", [a.member.user.get_username(), a.workflow.name]),
        ("wagtailadmin_reports:workflow_tasks", [a.workflow.name, a.task.name]),
        ("wagtailadmin_reports:site_history", [a.member.user.get_username()]),
        ("wagtailadmin_reports:page_types_usage_results", [a.pending.title]),
    ):
        status, found = shown(client, name, own)
        assert status == 200 and found == own, (name, found)
    # The filters take A's own choices.
    for name, query in (
        ("wagtailadmin_reports:workflow_results", {"workflow": a.workflow.pk}),
        ("wagtailadmin_reports:workflow_results", {"requested_by": a.member.user.pk}),
        ("wagtailadmin_reports:workflow_tasks_results", {"task": a.task.pk}),
    ):
        response = client.get(reverse(name), query, HTTP_HOST=ADMIN_HOST)
        assert response.status_code == 200 and escape(a.pending.title) in response.content.decode()


def test_page_types_usage_counts_only_explorable_pages(portals):
    a, _ = portals
    client = Client()
    client.force_login(a.editor)
    response = client.get(
        reverse("wagtailadmin_reports:page_types_usage_results"), HTTP_HOST=ADMIN_HOST
    )
    offers = ContentType.objects.get_for_model(SellOfferPage)
    row = next(item for item in response.context["object_list"] if item.pk == offers.pk)
    assert row.count == SellOfferPage.objects.descendant_of(a.home).count()
    assert row.count < SellOfferPage.objects.count()
    assert Page.objects.filter(pk=row.last_edited_page.pk).descendant_of(a.home).exists()


def test_a_superuser_still_sees_every_portal(portals, admin_user):
    _, b = portals
    client = Client()
    client.force_login(admin_user)
    for name, expected in (
        ("wagtailadmin_reports:workflow", [b.member.user.get_username(), b.workflow.name]),
        ("wagtailadmin_reports:workflow_tasks", [b.workflow.name, b.task.name]),
        ("wagtailadmin_reports:site_history", [b.member.user.get_username()]),
        ("wagtailadmin_reports:page_types_usage", [b.site.site_name or b.site.hostname]),
        ("wagtailadmin_reports:page_types_usage_results", [b.pending.title]),
    ):
        status, found = shown(client, name, expected)
        assert status == 200 and found == expected, (name, found)
