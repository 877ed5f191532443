"""Price alerts: a series' latest value rising above or falling below a threshold, or moving
by a percentage since the alert last wrote; sent once per crossing (recorded per point)."""

from datetime import datetime
from decimal import Decimal

from django.core.mail import EmailMessage
from django.db import transaction

from portal.mail import absolute, compose
from portal.prices.models import PricePoint, PriceSeriesPage

from . import links
from .models import ABOVE, CHANGE, Alert, Delivery
from .outbox import Outbox
from .summary import Summary


def latest_points(series_ids: list[int]) -> dict[int, PricePoint]:
    """The latest point with a value of each series."""
    latest: dict[int, PricePoint] = {}
    points = (
        PricePoint.objects.filter(series_id__in=series_ids, value__isnull=False)
        .defer("log")
        .order_by("series_id", "period_end")
    )
    for point in points:
        latest[point.series_id] = point
    return latest


def is_past(direction: str, value: Decimal, threshold: Decimal) -> bool:
    return value > threshold if direction == ABOVE else value < threshold


def moved(alert: Alert, value: Decimal) -> bool:
    """A % change alert: the value moved by the threshold or more since its reference."""
    if not alert.reference:
        return False
    return abs(value - alert.reference) * 100 / alert.reference >= alert.threshold


def initial_state(alert: Alert) -> None:
    """Where a new price alert starts: past the threshold already (it writes when the value
    crosses it again), or, for a % change, measuring from the latest value."""
    point = latest_points([alert.series_id]).get(alert.series_id)
    if point is None:
        return
    if alert.direction == CHANGE:
        alert.reference = point.value
    else:
        alert.is_past = is_past(alert.direction, point.value, alert.threshold)


def send_price_alerts(now: datetime, summary: Summary) -> Summary:
    """Email every active price alert whose series crossed its threshold."""
    alerts = list(
        Alert.objects.active()
        .filter(kind=Alert.PRICE, series__isnull=False)
        .select_related("site__root_page", "membership__user", "series")
    )
    summary.alerts += len(alerts)
    latest = latest_points(list({alert.series_id for alert in alerts}))
    for alert in alerts:
        point = latest.get(alert.series_id)
        if point is not None and _check(alert, point, now):
            summary.price_emails += 1
    return summary


def _check(alert: Alert, point: PricePoint, now: datetime) -> bool:
    """Record and queue ``alert``'s email for ``point`` if it crossed; update its state."""
    with transaction.atomic():
        locked = Alert.objects.active().select_for_update().filter(pk=alert.pk).first()
        if locked is None:
            return False
        if locked.direction == CHANGE:
            crossed = moved(locked, point.value)
            if crossed or locked.reference is None:
                locked.reference = point.value
        else:
            past = is_past(locked.direction, point.value, locked.threshold)
            crossed, locked.is_past = past and not locked.is_past, past
        if crossed and Delivery.objects.filter(alert=locked, point=point).exists():
            crossed = False  # this point was sent already
        if crossed:
            Delivery.objects.create(alert=locked, point=point, sent_at=now)
            locked.last_sent_at = now
            emails = Outbox()
            emails.add(price_email(locked, alert.series, point))
            emails.write()
        locked.save(update_fields=["reference", "is_past", "last_sent_at"])
    return crossed


def price_email(alert: Alert, series: PriceSeriesPage, point: PricePoint) -> EmailMessage:
    """The email of ``alert`` telling where ``series`` stands at ``point``."""
    site = alert.site
    root = site.root_page.url_path
    unsubscribe = links.link(alert, links.UNSUBSCRIBE)
    context = {
        "alert": alert,
        "series": series,
        "point": point,
        "series_url": absolute(site, "/" + series.url_path[len(root) :]),
        "manage_url": links.manage_link(alert),
        "unsubscribe_url": unsubscribe,
    }
    headers = links.unsubscribe_headers(unsubscribe)
    return compose("alert_price", [alert.recipient], context, site, headers=headers)
