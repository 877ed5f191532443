"""Price alerts: once per crossing of the threshold."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from portal.alerts.models import BELOW, CHANGE
from portal.prices.models import PricePoint, PriceSeriesPage

from .support import save_alert


@pytest.fixture
def series(steel) -> PriceSeriesPage:
    return PriceSeriesPage.objects.live().descendant_of(steel).order_by("pk").first()


def add_point(series, value: str) -> PricePoint:
    last = series.points.order_by("-period_end").first()
    day = (last.period_end if last else timezone.localdate()) + timedelta(days=7)
    return PricePoint.objects.create(
        series=series,
        period_end=day,
        status="assessed",
        value=Decimal(value),
        assessed_at=timezone.now(),
    )


def test_a_price_rising_above_the_threshold_is_sent_once_per_crossing(steel, series, send):
    add_point(series, "100")
    save_alert(steel, series=str(series.pk), price=("above", "150"))
    assert send().price_emails == 0
    add_point(series, "160")
    assert send().price_emails == 1
    assert send().price_emails == 0  # still above: the same crossing
    add_point(series, "170")
    assert send().price_emails == 0
    add_point(series, "140")
    assert send().price_emails == 0  # back below: not past any more
    add_point(series, "155")
    assert send().price_emails == 1  # crossed again
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert series.title in message.subject and "160" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_fall_below_and_a_percentage_move(steel, series, send):
    add_point(series, "100")
    save_alert(steel, series=str(series.pk), price=(BELOW, "90"))
    save_alert(steel, series=str(series.pk), email="mover@example.com", price=(CHANGE, "5"))
    add_point(series, "96")
    assert send().price_emails == 0
    add_point(series, "89")
    assert send().price_emails == 2  # below 90, and 11 % from 100
    add_point(series, "91")
    assert send().price_emails == 0  # 2 % from 89
    assert sorted(m.to[0] for m in mail.outbox) == ["mover@example.com", "reader@example.com"]
