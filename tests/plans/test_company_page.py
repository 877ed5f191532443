"""The company page names a paid plan ("Gold member since 2026"), live and in the static copy,
and stops when the plan lapses, without anyone editing the page."""

from datetime import timedelta

import pytest
from django.utils.html import escape

from portal.plans.models import Subscription

from ..conftest import host
from ..support import build_static
from .conftest import company_of, make_plan, subscribe, today

pytestmark = pytest.mark.django_db


def live_page(client, company) -> str:
    return client.get(company.url, HTTP_HOST=host("steel")).content.decode()


def test_a_paid_plan_shows_on_the_company_page(client, steel):
    company = company_of(steel, 2)
    assert "member since" not in live_page(client, company)
    started = today() - timedelta(days=400)
    gold = make_plan(steel, "gold")
    subscribe(company, gold, started, started + timedelta(days=200))
    subscribe(company, gold, started + timedelta(days=201))
    assert f"Gold member since {started.year}" in live_page(client, company)


def test_the_free_plan_and_a_lapsed_one_show_nothing(client, steel):
    company = company_of(steel, 2)
    free = make_plan(steel, "free", is_free=True, price=0)
    subscribe(company, free)
    subscribe(
        company, make_plan(steel, "gold"), today() - timedelta(days=90), today() - timedelta(days=1)
    )
    assert "member since" not in live_page(client, company)


def built(out, page) -> str:
    return (out / "steel.localhost" / page.url_path.split("/", 2)[2] / "index.html").read_text()


@pytest.mark.export
@pytest.mark.slow
def test_the_static_copy_follows_assignment_and_lapse(steel, tmp_path):
    company = company_of(steel, 2)
    out = tmp_path / "static"
    build_static(out)
    assert "member since" not in built(out, company)
    subscription = subscribe(company, make_plan(steel, "gold"), today() - timedelta(days=5))
    build_static(out)
    assert f"Gold member since {subscription.starts_on.year}" in built(out, company)
    # A lapse is a date passing: no save, no signal; the next build sees it all the same.
    Subscription.objects.filter(pk=subscription.pk).update(ends_on=today() - timedelta(days=1))
    build_static(out)
    assert "member since" not in built(out, company)
    assert escape(company.title) in built(out, company)
