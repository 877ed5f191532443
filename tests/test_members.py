"""Member accounts: sign-up on a portal, email verification, the company page, joining."""

import re

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from portal.core.models import Region
from portal.directory.models import CompanyPage
from portal.members.models import Membership

from .conftest import host, human

pytestmark = pytest.mark.django_db


def signup(client, home, site_of, **extra):
    region = Region.objects.filter(site=site_of(home)).first()
    data = human(
        "signup",
        email="new.member@example.com",
        password1="a-long-Pass-phrase-9",
        password2="a-long-Pass-phrase-9",
        company_name="Northwind Metals",
        country="Poland",
        region=region.pk,
        profile="Rebar stockist.",
    )
    data.update(extra)
    return client.post("/accounts/signup/", data, HTTP_HOST=host(home.industry_slug))


def test_signup_verifies_the_email_and_sends_the_company_for_moderation(client, steel, site_of):
    mail.outbox.clear()
    response = signup(client, steel, site_of)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.member@example.com")
    assert membership.site == site_of(steel)
    # Nothing reaches the moderators before the address is confirmed.
    assert membership.company is None
    assert not CompanyPage.objects.filter(title="Northwind Metals").exists()
    [confirm] = [m for m in mail.outbox if m.to == ["new.member@example.com"]]
    assert "SteelHub" in confirm.subject
    link = re.search(r"http://steel\.localhost:8000(/accounts/confirm-email/\S+)", confirm.body)
    assert link, confirm.body
    # Unverified: signing in leads to the verification notice, not the dashboard.
    client.logout()
    login = client.post(
        "/accounts/login/",
        {"login": "new.member@example.com", "password": "a-long-Pass-phrase-9"},
        HTTP_HOST=host("steel"),
    )
    assert "/members/" not in login.get("Location", "")
    client.post(link.group(1), HTTP_HOST=host("steel"))
    company = Membership.objects.get(pk=membership.pk).company
    assert company.title == "Northwind Metals" and not company.live
    assert company.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert company.get_parent().specific_class.__name__ == "DirectoryIndexPage"
    dashboard = client.get("/members/", HTTP_HOST=host("steel"))
    assert dashboard.status_code == 200
    assert "Northwind Metals" in dashboard.content.decode()


def test_signup_errors_rerender_in_the_portal_theme_keeping_input(client, steel, site_of):
    response = signup(client, steel, site_of, password2="different", company_name="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "theme-industrial" in html
    assert 'value="new.member@example.com"' in html
    assert "This field is required." in html
    assert not Membership.objects.exists()


def test_account_pages_use_each_portals_theme(client):
    for slug, theme in (("steel", "industrial"), ("textiles", "textile"), ("agrifood", "harvest")):
        html = client.get("/accounts/login/", HTTP_HOST=host(slug)).content.decode()
        assert f"theme-{theme}" in html
        assert html.count("<h1") == 1


def test_the_hub_takes_no_signups(client):
    response = client.get("/accounts/signup/", HTTP_HOST="localhost:8000")
    assert "theme-" in response.content.decode()
    assert "Northwind" not in response.content.decode()
    assert 'name="company_name"' not in response.content.decode()


def test_a_member_of_one_portal_joins_another(client, steel, textiles, site_of, make_member):
    membership = make_member(steel, "traveller")
    client.force_login(membership.user)
    assert client.get("/members/", HTTP_HOST=host("textiles"))["Location"] == "/members/join/"
    region = Region.objects.filter(site=site_of(textiles)).first()
    client.post(
        "/members/join/",
        {"company_name": "Loom & Co", "country": "Italy", "region": region.pk},
        HTTP_HOST=host("textiles"),
    )
    joined = Membership.objects.get(user=membership.user, site=site_of(textiles))
    assert CompanyPage.objects.get(pk=joined.company_id).title == "Loom & Co"
    assert client.get("/members/", HTTP_HOST=host("textiles")).status_code == 200


def test_an_unconfirmed_account_signed_in_elsewhere_cannot_use_the_member_area(
    client, steel, site_of
):
    signup(client, steel, site_of)
    user = Membership.objects.get(user__email="new.member@example.com").user
    client.force_login(user)  # e.g. through the admin's sign-in form
    response = client.get("/members/post/sell/", HTTP_HOST=host("steel"))
    assert response.status_code == 200
    assert "verif" in response.content.decode().lower()
    assert 'name="title"' not in response.content.decode()


def test_the_member_hears_the_decision_on_their_company_page(
    client, steel, site_of, django_capture_on_commit_callbacks
):
    signup(client, steel, site_of)
    membership = Membership.objects.get(user__email="new.member@example.com")
    from allauth.account.models import EmailAddress

    from portal.members.onboarding import on_email_confirmed

    address = EmailAddress.objects.get(user=membership.user)
    address.verified = True
    address.save()
    on_email_confirmed(None, address)
    company = Membership.objects.get(pk=membership.pk).company
    state = company.current_workflow_state
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(
            state.current_task_state, None, "reject", comment="Which city are you in?"
        )
    [told] = [m for m in mail.outbox if m.to == ["new.member@example.com"]]
    assert "company page needs changes" in told.subject
    assert "Which city are you in?" in told.body
