"""Quotas cannot be beaten by racing requests: many requests of one company, each checking
the quota and then creating, get through only as many as the plan allows (PostgreSQL: row
locks are what serialise them; SQLite serialises every writer anyway)."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from portal.plans import quotas
from portal.plans.current import plan_of
from portal.plans.models import Payment, QuotaLock

from .conftest import company_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions with row locks (PostgreSQL); SQLite locks the "
        "whole database for each writer",
    ),
]
RACERS = 10
MARK = "race-test"


def test_racing_requests_get_through_only_up_to_the_limit(steel, monkeypatch):
    company = company_of(steel, skip=3)  # launched data: committed, seen by every connection
    limit = plan_of(company).limit("quotes_per_week")
    assert limit is not None and limit < RACERS
    # Count rows the racers make themselves, so nothing of the board's is committed.
    monkeypatch.setitem(
        quotas._usage,
        "quotes_per_week",
        lambda c: Payment.objects.filter(company=c, reference=MARK).count(),
    )
    start, passed = threading.Barrier(RACERS), []

    def race() -> None:
        try:
            start.wait()
            with transaction.atomic(), quotas.held(company):
                quotas.check(company, "quotes_per_week")
                time.sleep(0.05)  # a slow request: the next one must wait for this commit
                Payment.objects.create(
                    site=plan_of(company).site,
                    company=company,
                    reference=MARK,
                    amount=Decimal(1),
                    currency="USD",
                    recorded_on=timezone.localdate(),
                )
            passed.append(True)
        except quotas.QuotaExceeded:
            passed.append(False)
        finally:
            connections.close_all()

    def clean_up() -> None:
        Payment.objects.filter(reference=MARK).delete()
        QuotaLock.objects.filter(company=company).delete()
        connections.close_all()

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert passed.count(True) == limit
        assert passed.count(False) == RACERS - limit
    finally:
        cleaner = threading.Thread(target=clean_up)  # its own connection: committed
        cleaner.start()
        cleaner.join()
