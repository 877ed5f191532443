"""``send_alerts``: what each due alert found since it last wrote, recorded and emailed once.

For each portal, the new open listings are read once and matched in Python against every
active alert (``listings.NewListings``). What an alert sends is recorded (``Delivery``, one row
per alert and listing, unique) in the same transaction that queues its email: a crash loses
neither or both, and a rerun finds those listings recorded and sends nothing again.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Site

from portal.board.models import TradeListingPage
from portal.mail import absolute, compose
from themes.registry import BASE_THEME, theme_template

from . import links
from .filters import ListingFilter
from .listings import NewListings
from .models import Alert, Delivery
from .outbox import Outbox, send_queued_now
from .price_watch import send_price_alerts
from .summary import Summary

# How far back a run looks for new listings: a weekly digest's period and a day of slack
# (a listing older than that was sent by an earlier run, or the alert did not exist yet).
LOOKBACK = timedelta(days=8)
BATCH = 200  # alerts recorded and queued per transaction
MAX_PARAMS = 900  # ids per query (SQLite takes at most 999 parameters)
OVERLAP = timedelta(minutes=10)
SHOWN = 25  # listings an email lists; the rest are counted and linked


def batched(items: list, size: int) -> Iterable[list]:
    return (items[start : start + size] for start in range(0, len(items), size))


def listing_alerts() -> Iterable[Alert]:
    return (
        Alert.objects.active()
        .exclude(kind=Alert.PRICE)
        .select_related("site__root_page", "membership__user")
        .order_by("pk")
    )


def send_listing_alerts(now: datetime | None = None, summary: Summary | None = None) -> Summary:
    """Email every due listing alert what matched it since it last wrote."""
    now = now or timezone.now()
    summary = summary or Summary()
    new = NewListings(now - LOOKBACK, now)
    due: list[tuple[Alert, list[int]]] = []
    quiet: list[int] = []  # due, and nothing new
    alerts = list(listing_alerts())
    summary.alerts += len(alerts)
    for alert in alerts:
        if not alert.is_due(now):
            continue
        wanted = ListingFilter.load(alert.filters, alert.excluded_regions)
        found = new.matching(alert.site_id, wanted, window_start(alert))
        if found:
            due.append((alert, found))
        else:
            quiet.append(alert.pk)
    recorded = _recorded([pk for _, found in due for pk in found])
    for batch in batched(due, BATCH):
        quiet += _deliver_batch(batch, new, recorded, now, summary)
    for chunk in batched(quiet, MAX_PARAMS):
        Alert.objects.filter(pk__in=chunk).update(seen_until=now)
    return summary


def window_start(alert: Alert) -> datetime:
    """Listings first published from then on are new to ``alert``: since it started, and
    since the last run that matched it (less ``OVERLAP``: listings published as that run
    read the board)."""
    if alert.seen_until is None:
        return alert.since
    return max(alert.since, alert.seen_until - OVERLAP)


def _recorded(listing_ids: list[int]) -> set[tuple[int, int]]:
    """``(alert, listing)`` pairs already delivered, of these listings."""
    pairs: set[tuple[int, int]] = set()
    for chunk in batched(list(set(listing_ids)), MAX_PARAMS):
        rows = Delivery.objects.filter(listing_id__in=chunk)
        pairs.update(rows.values_list("alert_id", "listing_id"))
    return pairs


def _deliver_batch(
    batch: list[tuple[Alert, list[int]]],
    new: NewListings,
    recorded: set[tuple[int, int]],
    now: datetime,
    summary: Summary,
) -> list[int]:
    """Record and queue the emails of ``batch`` in one transaction; the ids of the alerts
    that had nothing new after all."""
    with transaction.atomic():
        # Lock the alerts until commit: one run at a time sends for them. One paused,
        # stopped or sent by another run since they were read is left for the next run.
        ids = [alert.pk for alert, _ in batch]
        locked = Alert.objects.active().select_for_update().filter(pk__in=ids)
        current = dict(locked.values_list("pk", "last_sent_at"))
        deliveries, sent, quiet, emails = [], [], [], Outbox()
        for alert, found in batch:
            if alert.pk not in current or current[alert.pk] != alert.last_sent_at:
                continue
            fresh = [pk for pk in found if (alert.pk, pk) not in recorded]
            if not fresh:
                quiet.append(alert.pk)
                continue
            deliveries += [(alert.pk, pk) for pk in fresh]
            emails.add(listing_email(alert, [new.pages[pk] for pk in fresh], new))
            sent.append(alert.pk)
        record_deliveries(deliveries, now)
        emails.write()
        for chunk in batched(sent, MAX_PARAMS):
            Alert.objects.filter(pk__in=chunk).update(last_sent_at=now, seen_until=now)
    summary.emails += len(sent)
    summary.listings += len(deliveries)
    return quiet


def record_deliveries(pairs: list[tuple[int, int]], now: datetime) -> None:
    """Insert ``(alert, listing)`` deliveries. Plain SQL: a run may record hundreds of
    thousands, and the unique constraint still refuses any sent before (the transaction then
    rolls back, its emails with it)."""
    if not pairs:
        return
    ops = connection.ops
    table = ops.quote_name(Delivery._meta.db_table)
    sent_at = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (alert_id, listing_id, sent_at) VALUES (%s, %s, %s)",
            [(alert_id, listing_id, sent_at) for alert_id, listing_id in pairs],
        )


def listing_email(alert: Alert, listings: list, new: NewListings) -> EmailMessage:
    """The email of ``alert`` listing ``listings`` (newest first)."""
    site = alert.site
    unsubscribe = links.link(alert, links.UNSUBSCRIBE)
    context = {
        "alert": alert,
        "entries": [entry(new, site, page) for page in listings[:SHOWN]],
        "more": max(len(listings) - SHOWN, 0),
        "results_url": absolute(site, alert.source_url or "/"),
        "manage_url": links.manage_link(alert),
        "unsubscribe_url": unsubscribe,
    }
    headers = links.unsubscribe_headers(unsubscribe)
    return compose("alert_listings", [alert.recipient], context, site, headers=headers)


def entry(new: NewListings, site: Site, page: TradeListingPage) -> str:
    """A listing as alert emails show it, rendered once a run (many emails show it)."""
    if page.pk not in new.lines:
        link = absolute(site, "/" + page.url_path[len(site.root_page.url_path) :])
        template = theme_template(BASE_THEME, "emails/_alert_listing.txt")
        new.lines[page.pk] = template.render({"listing": page, "link": link}).strip()
    return new.lines[page.pk]


def send_alerts(now: datetime | None = None) -> Summary:
    """One run: listing alerts, then price alerts; then the queued emails go out."""
    now = now or timezone.now()
    summary = send_listing_alerts(now)
    summary = send_price_alerts(now, summary)
    send_queued_now()
    return summary
