"""Enquiries from franchise and investment pages: stored, relayed privately, defended."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from portal.core.models import Region
from portal.leads.models import Enquiry
from portal.opportunities.models import FranchiseListingPage

from ..conftest import host
from .conftest import enquiry_data, portal_client

pytestmark = pytest.mark.django_db


def test_franchise_and_investment_pages_show_the_enquiry_form(steel, franchise, investment):
    client = portal_client(steel)
    for page in (franchise, investment):
        html = client.get(page.url).content.decode()
        assert f'action="/enquiries/{page.pk}/"' in html
        assert 'name="amount"' in html and 'name="timeline"' in html
        assert 'name="territory"' in html and 'name="website"' in html


def test_an_enquiry_is_stored_and_relayed_to_the_company_without_exposing_addresses(
    steel, franchise, member
):
    region = Region.objects.filter(site=franchise.get_site()).first()
    mail.outbox.clear()
    response = portal_client(steel).post(
        f"/enquiries/{franchise.pk}/",
        enquiry_data(currency="USD", territory=str(region.pk)),
    )
    assert response.status_code == 302
    assert response["Location"] == urlsplit(franchise.url).path + "#enquiry"
    stored = Enquiry.objects.get(page=franchise)
    assert stored.company_id == franchise.company_id and stored.relayed_at is not None
    assert (stored.timeline, stored.territory, stored.status) == ("6m", region, "new")
    relayed = mail.outbox[-1]
    assert member.user.email in relayed.to
    assert relayed.reply_to == ["ida.investor@example.com"]
    assert "250,000 USD" in relayed.body and "Within 6 months" in relayed.body
    assert region.name in relayed.body and "two outlets" in relayed.body
    html = portal_client(steel).get(franchise.url).content.decode()
    assert member.user.email not in html and "ida.investor@example.com" not in html


def test_an_enquiry_without_a_company_goes_to_the_moderators(steel, franchise, site_of):
    from django.contrib.auth import get_user_model

    from portal.core.models import PortalSettings

    FranchiseListingPage.objects.filter(pk=franchise.pk).update(company=None)
    group = PortalSettings.for_site(site_of(steel)).moderators_group
    moderator = get_user_model().objects.create_user("mod", "mod@steel.test", "mod-pass-123")
    moderator.groups.add(group)
    mail.outbox.clear()
    response = portal_client(steel).post(f"/enquiries/{franchise.pk}/", enquiry_data())
    assert response.status_code == 302
    assert "mod@steel.test" in mail.outbox[-1].to
    assert Enquiry.objects.get(page=franchise).company is None


def test_an_invalid_enquiry_rerenders_the_page_with_errors_and_input(steel, franchise):
    response = portal_client(steel).post(
        f"/enquiries/{franchise.pk}/", enquiry_data(email="not-an-email", currency="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html
    assert "Say which currency the amount is in." in html
    assert "two outlets next year" in html and 'value="Capital Partners"' in html
    assert not Enquiry.objects.exists()


def test_html_in_an_enquiry_is_refused(steel, franchise):
    response = portal_client(steel).post(
        f"/enquiries/{franchise.pk}/", enquiry_data(message="<b>hello</b> there")
    )
    assert response.status_code == 400
    assert "Plain text only" in response.content.decode()


def test_the_honeypot_refuses_bots(steel, franchise):
    response = portal_client(steel).post(
        f"/enquiries/{franchise.pk}/", enquiry_data(website="http://spam.test")
    )
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_a_board_inquiry_token_is_no_good_for_an_enquiry(steel, franchise):
    from ..conftest import human

    data = {**enquiry_data(), "started": human("inquiry")["started"]}
    response = portal_client(steel).post(f"/enquiries/{franchise.pk}/", data)
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_the_same_enquiry_twice_is_stored_once(steel, franchise):
    client = portal_client(steel)
    client.post(f"/enquiries/{franchise.pk}/", enquiry_data())
    client.post(
        f"/enquiries/{franchise.pk}/",
        enquiry_data(message="  WE would like to open two outlets next year."),
    )
    assert Enquiry.objects.count() == 1


def test_too_many_enquiries_get_a_429(steel, franchise, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "enquiry": "2/h"}
    client = portal_client(steel)
    codes = [
        client.post(f"/enquiries/{franchise.pk}/", enquiry_data(message=f"Message {n}")).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_a_post_without_csrf_token_from_elsewhere_is_refused(steel, franchise):
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host("steel"))
    response = client.post(f"/enquiries/{franchise.pk}/", enquiry_data())
    assert response.status_code == 403
    assert not Enquiry.objects.exists()


def test_a_static_copy_posts_with_a_fetched_form_token(steel, franchise, settings):
    settings.STATIC_SITE_ORIGINS = ["https://*.example.org"]
    origin = "https://steel.example.org"
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host("steel"))
    token = client.get("/enquiries/form-token/", HTTP_ORIGIN=origin)
    assert token["Access-Control-Allow-Origin"] == origin
    assert "no-store" in token["Cache-Control"]
    settings.FORM_MIN_FILL_SECONDS = 0
    data = {**enquiry_data(), "started": token.json()["started"]}
    response = client.post(
        f"/enquiries/{franchise.pk}/", data, HTTP_ORIGIN=origin, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["ok"] is True
    assert response["Access-Control-Allow-Origin"] == origin
    assert Enquiry.objects.filter(page=franchise).count() == 1
    # The same token again: refused (a token is good for one message).
    again = client.post(
        f"/enquiries/{franchise.pk}/",
        {**data, "message": "Another one"},
        HTTP_ORIGIN=origin,
        HTTP_ACCEPT="application/json",
    )
    assert again.status_code == 400 and Enquiry.objects.filter(page=franchise).count() == 1


@pytest.mark.parametrize("pk", ["999999999", "0"])
def test_a_bad_page_id_is_a_404(steel, pk):
    assert portal_client(steel).post(f"/enquiries/{pk}/", enquiry_data()).status_code == 404


def test_pages_that_take_no_enquiries_are_a_404(steel, franchise):
    news_or_company = franchise.company
    response = portal_client(steel).post(f"/enquiries/{news_or_company.pk}/", enquiry_data())
    assert response.status_code == 404


def test_another_portals_page_is_a_404(textiles, franchise):
    response = portal_client(textiles).post(f"/enquiries/{franchise.pk}/", enquiry_data())
    assert response.status_code == 404


def test_an_unpublished_page_is_a_404(steel, franchise):
    franchise.unpublish()
    response = portal_client(steel).post(f"/enquiries/{franchise.pk}/", enquiry_data())
    assert response.status_code == 404


def test_an_investment_past_its_deadline_is_gone(steel, investment):
    investment.deadline = date.today() - timedelta(days=1)
    investment.save_revision().publish()
    client = portal_client(steel)
    response = client.post(f"/enquiries/{investment.pk}/", enquiry_data())
    assert response.status_code == 410
    assert "takes no more enquiries" in response.content.decode()
    html = client.get(investment.url).content.decode()
    assert "takes no more enquiries" in html and 'name="amount"' not in html


def test_an_investment_enquiry_reaches_its_company(steel, investment, make_member):
    member = make_member(steel, "sponsor", investment.company)
    mail.outbox.clear()
    portal_client(steel).post(f"/enquiries/{investment.pk}/", enquiry_data())
    assert member.user.email in mail.outbox[-1].to
    assert Enquiry.objects.get(page=investment).company == investment.company


def test_unsent_enquiries_are_retried_by_the_board_job(steel, franchise, member, monkeypatch):
    from django.core.management import call_command

    import portal.mail

    monkeypatch.setattr(
        portal.mail.EmailMessage, "send", lambda self: (_ for _ in ()).throw(OSError)
    )
    portal_client(steel).post(f"/enquiries/{franchise.pk}/", enquiry_data())
    stored = Enquiry.objects.get(page=franchise)
    assert stored.relayed_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    call_command("run_board_jobs", verbosity=0)
    stored.refresh_from_db()
    assert stored.relayed_at is not None
    assert any(member.user.email in message.to for message in mail.outbox)


def test_demo_franchises_belong_to_demo_companies(steel):
    franchises = FranchiseListingPage.objects.descendant_of(steel)
    assert franchises.exists() and not franchises.filter(company__isnull=True).exists()
