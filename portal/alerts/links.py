"""Signed links in alert emails: confirm an address, manage an alert, unsubscribe from it.

A link carries the alert's id signed for one purpose (a confirmation link cannot unsubscribe,
and it expires); a bad or expired link finds nothing (the views answer 404)."""

from functools import cache

from django.core import signing
from django.urls import reverse

from portal.mail import absolute

from .models import Alert

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
SALT = "guildhall.alerts."


@cache
def _signer(purpose: str) -> signing.Signer:
    """A confirmation link expires (it carries its time); the others do not."""
    signer = signing.TimestampSigner if purpose == CONFIRM else signing.Signer
    return signer(salt=SALT + purpose)


def sign(alert: Alert, purpose: str) -> str:
    return _signer(purpose).sign(str(alert.pk))


def alert_for(token: str, purpose: str) -> Alert | None:
    """The alert ``token`` was signed for (for ``purpose``), or None."""
    signer = _signer(purpose)
    try:
        if isinstance(signer, signing.TimestampSigner):
            value = signer.unsign(token, max_age=CONFIRM_MAX_AGE)
        else:
            value = signer.unsign(token)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not value.isdigit():
        return None
    return Alert.objects.select_related("site", "membership__user").filter(pk=int(value)).first()


@cache
def _path_start(purpose: str) -> str:
    """``/alerts/<purpose>/``: reversed once (a run makes thousands of links)."""
    return reverse(f"alerts:{purpose}", args=["-"]).removesuffix("-/")


def link(alert: Alert, purpose: str) -> str:
    """The absolute URL of the signed ``purpose`` page of ``alert``, on its portal."""
    return absolute(alert.site, f"{_path_start(purpose)}{sign(alert, purpose)}/")


def manage_link(alert: Alert) -> str:
    """Where the recipient manages the alert: the member area, or its signed page."""
    if alert.membership_id:
        return absolute(alert.site, reverse("members:saved_alerts"))
    return link(alert, MANAGE)


def feed_link(alert: Alert) -> str:
    return absolute(alert.site, reverse("alerts:feed", args=[alert.feed_token]))


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): a POST to the URL unsubscribes."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
