"""Reminders before a paid plan ends: at 30, 7 and 1 days, each once, none for a renewed
plan; a lapsed plan falls back to free by date alone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from portal.plans import quotas
from portal.plans.current import plan_of
from portal.plans.models import Reminder
from portal.plans.reminders import send_renewal_reminders

from .conftest import make_plan, subscribe, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold_member(steel, make_member):
    member = make_member(steel, "renewing")
    gold = make_plan(steel, "gold", live_listings=None)
    return member, subscribe(
        member.company, gold, today() - timedelta(days=300), today() + timedelta(days=30)
    )


def test_each_reminder_is_sent_once(gold_member, django_capture_on_commit_callbacks):
    member, subscription = gold_member
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_plan_jobs", verbosity=0)
        call_command("run_plan_jobs", verbosity=0)
    sent = [m for m in mail.outbox if "plan ends in" in m.subject]
    assert len(sent) == 1 and sent[0].to == [member.user.email]
    assert sent[0].subject == "Your Gold plan ends in 30 days"
    assert "IBAN" in sent[0].body and "/members/plan/" in sent[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders(today() + timedelta(days=23)) == 1  # 7 days left
        assert send_renewal_reminders(today() + timedelta(days=23)) == 0
        assert send_renewal_reminders(today() + timedelta(days=29)) == 1  # 1 day left
        assert send_renewal_reminders(today() + timedelta(days=30)) == 0  # its last day
    steps = sorted(
        Reminder.objects.filter(subscription=subscription).values_list("days_before", flat=True)
    )
    assert steps == [1, 7, 30]
    assert len([m for m in mail.outbox if "plan ends in" in m.subject]) == 3


def test_a_missed_day_sends_the_nearest_step_only(gold_member):
    _, subscription = gold_member
    assert send_renewal_reminders(today() + timedelta(days=25)) == 1  # 5 days left: the 7-day one
    assert list(
        Reminder.objects.filter(subscription=subscription).values_list("days_before", flat=True)
    ) == [7]


def test_a_renewed_plan_is_not_reminded(gold_member):
    member, subscription = gold_member
    subscribe(member.company, subscription.plan, subscription.ends_on + timedelta(days=1))
    assert send_renewal_reminders() == 0


def test_a_lapsed_plan_falls_back_to_free_by_date(gold_member, steel):
    member, subscription = gold_member
    company = member.company
    assert plan_of(company).key == "gold"
    assert quotas.remaining(company, "live_listings") is None
    after = subscription.ends_on + timedelta(days=1)
    assert plan_of(company, after).is_free and plan_of(company, after).live_listings == 25
