"""The member's "Your plan" page: the plan, its period, each quota's use, how to pay; only
for members of the portal (others are sent to sign in)."""

from datetime import timedelta

import pytest

from portal.plans import quotas

from .conftest import make_plan, portal_client, subscribe, today

pytestmark = pytest.mark.django_db


def test_the_page_shows_plan_period_use_and_payment_instructions(steel, make_member):
    member = make_member(steel, "planned")
    used = quotas.used(member.company, "live_listings")
    plan = make_plan(steel, "gold", live_listings=used + 5, quotes_per_week=70)
    subscribe(member.company, plan, today() - timedelta(days=3), today() + timedelta(days=40))
    html = portal_client(member.user, steel).get("/members/plan/").content.decode()
    assert '<h2 id="plan-heading">Gold</h2>' in html
    assert f"{used} of {used + 5} used" in html and "0 of 70 used" in html
    assert (today() + timedelta(days=40)).strftime("%Y") in html and "Renewal date" in html
    assert "IBAN" in html  # the manual provider's instructions, from the industry file


def test_the_dashboard_links_to_it(steel, make_member):
    member = make_member(steel, "linked")
    html = portal_client(member.user, steel).get("/members/").content.decode()
    assert 'href="/members/plan/"' in html


def test_a_lapsed_plan_shows_the_free_plan(steel, make_member):
    member = make_member(steel, "lapsed")
    subscribe(
        member.company,
        make_plan(steel, "gold"),
        today() - timedelta(days=400),
        today() - timedelta(days=1),
    )
    html = portal_client(member.user, steel).get("/members/plan/").content.decode()
    assert "is on the free plan" in html and "of 25 used" in html


def test_visitors_sign_in_and_other_portals_members_join(steel, textiles, make_member):
    response = portal_client(None, steel).get("/members/plan/")
    assert response.status_code == 302 and "login" in response["Location"]
    other = make_member(textiles, "elsewhere")
    response = portal_client(other.user, steel).get("/members/plan/")
    assert response.status_code in (302, 403, 404)
    assert "Your plan" not in response.content.decode()
