"""The API other apps code against: the plan in force by date, quota checks and the lock."""

from datetime import timedelta

import pytest
from django.db import transaction

from portal.plans import quotas
from portal.plans.current import plan_of

from .conftest import company_of, make_plan, site_for, subscribe, today

pytestmark = pytest.mark.django_db


def test_plan_in_force_by_date_and_lapse_to_free(steel):
    company = company_of(steel)
    gold = make_plan(steel, "gold")
    subscribe(company, gold, today() - timedelta(days=30), today() + timedelta(days=5))
    assert plan_of(company) == gold
    assert plan_of(company, today() + timedelta(days=5)) == gold
    lapsed = plan_of(company, today() + timedelta(days=6))
    assert lapsed.is_free and lapsed.site == site_for(steel)


def test_newest_assignment_wins(steel):
    company = company_of(steel)
    subscribe(company, make_plan(steel, "silver"))
    gold = make_plan(steel, "gold")
    subscribe(company, gold, today() - timedelta(days=1))
    assert plan_of(company) == gold


def test_check_refuses_over_the_limit_with_a_clear_message(steel):
    company = company_of(steel)
    subscribe(company, make_plan(steel, "tiny", live_listings=0))
    with pytest.raises(quotas.QuotaExceeded) as refused:
        quotas.check(company, "live_listings")
    error = refused.value
    assert (error.quota, error.limit, error.used) == (
        "live_listings",
        0,
        quotas.used(company, "live_listings"),
    )
    assert str(error) == error.message
    assert "Tiny plan allows 0 live listings" in error.message
    assert "higher plan" in error.message


def test_unlimited_and_no_company_pass(steel):
    company = company_of(steel)
    subscribe(company, make_plan(steel, "open"))
    quotas.check(company, "live_listings", adding=10_000)
    quotas.check(None, "live_listings", adding=10_000)
    assert quotas.remaining(company, "live_listings") is None


def test_remaining_counts_what_the_board_registered(steel):
    company = company_of(steel)
    in_use = quotas.used(company, "live_listings")
    subscribe(company, make_plan(steel, "roomy", live_listings=in_use + 3))
    assert quotas.remaining(company, "live_listings") == 3
    quotas.check(company, "live_listings", adding=3)
    with pytest.raises(quotas.QuotaExceeded):
        quotas.check(company, "live_listings", adding=4)


def test_unknown_quota_is_refused(steel):
    with pytest.raises(ValueError):
        quotas.register_usage("stars", lambda company: 0)
    with pytest.raises(ValueError):
        quotas.check(company_of(steel), "stars")


def test_held_is_reentrant_per_company(steel):
    company = company_of(steel)
    with transaction.atomic(), quotas.held(company), quotas.held(None), quotas.held(company):
        quotas.check(company, "live_listings")
