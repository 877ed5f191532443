"""Saving an alert: a member's starts at once; one by email alone waits for the address to
be confirmed (double opt-in), and nothing is sent to it before."""

from django.utils import timezone
from wagtail.models import Site

from portal.mail import send_templated

from . import links
from .forms import AlertChoicesForm
from .models import Alert
from .price_watch import initial_state
from .targets import Target, price_label

MAX_ALERTS_PER_ADDRESS = 50  # per portal: an address cannot be made to receive any number


def build(site: Site, target: Target, form: AlertChoicesForm) -> Alert:
    """A new, unsaved alert of ``site`` for ``target`` with the choices of ``form``."""
    alert = Alert(
        site=site,
        kind=target.kind,
        label=target.label,
        source_url=target.source_url,
        filters=target.filters.dump() if target.filters else {},
        company=target.company,
        series=target.series,
    )
    form.apply(alert)
    if target.series is not None:
        alert.label = price_label(
            target.series.title, alert.direction, alert.threshold, target.series.unit_label
        )
        initial_state(alert)
    return alert


def save_for_member(alert: Alert, membership) -> Alert:
    alert.membership = membership
    alert.confirmed_at = alert.since = timezone.now()
    alert.save()
    return alert


def save_for_email(alert: Alert, email: str) -> Alert | None:
    """Keep the alert unconfirmed and email its confirmation link; None when the address has
    too many alerts on this portal already."""
    current = Alert.objects.current().filter(site=alert.site, email__iexact=email)
    if current.count() >= MAX_ALERTS_PER_ADDRESS:
        return None
    alert.email = email
    alert.save()
    send_templated(
        "alert_confirm",
        [email],
        {"alert": alert, "confirm_url": links.link(alert, links.CONFIRM)},
        alert.site,
    )
    return alert


def confirm(alert: Alert) -> None:
    if alert.confirmed_at is None:
        alert.confirmed_at = alert.since = timezone.now()
        alert.save(update_fields=["confirmed_at", "since"])


def pause(alert: Alert, paused: bool) -> None:
    """Pause the alert, or resume it: it sends what appears from then on, not what appeared
    while it was paused."""
    if paused and alert.paused_at is None:
        alert.paused_at = timezone.now()
    elif not paused and alert.paused_at is not None:
        alert.paused_at, alert.since = None, timezone.now()
    alert.save(update_fields=["paused_at", "since"])


def unsubscribe(alert: Alert) -> None:
    """Stop the alert for good; it stays on record with what it sent."""
    if alert.unsubscribed_at is None:
        alert.unsubscribed_at = timezone.now()
        alert.save(update_fields=["unsubscribed_at"])
