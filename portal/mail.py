"""Emails to members and visitors, written as plain-text templates in the base theme.

A template's first line is the subject; the rest is the body. Emails name the portal and
link back to it with absolute URLs. Every email (these, Wagtail's and allauth's) passes through
django-post-office's queue: what the mail server does not take now is retried later
(``retry_queued_mail``, from the scheduled jobs), so an outage delays mail and loses none.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from post_office.mail import send_queued
from post_office.models import STATUS, Email
from post_office.settings import get_max_retries
from post_office.utils import cleanup_expired_mails
from wagtail.models import Page, Site

from themes.registry import BASE_THEME, theme_template

log = logging.getLogger(__name__)
KEEP_SENT_MAIL = timedelta(days=30)


def portal_name(site: Site | None) -> str:
    return site.site_name if site and site.site_name else "Guildhall"


def portal_from_address(site: Site | None) -> str:
    """``Steel Portal <noreply@...>``: the configured address, named after the portal."""
    return formataddr((portal_name(site), parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def compose(
    template: str,
    recipients: list[str],
    context: dict[str, Any],
    site: Site | None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """``emails/<template>.txt`` rendered into a message from the portal, with extra
    ``headers`` (``List-Unsubscribe``...), not sent yet."""
    root_url = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    context = {
        "site": site,
        "root_url": root_url,
        "portal_name": portal_name(site),
        **context,
    }
    text = theme_template(BASE_THEME, f"emails/{template}.txt").render(context)
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(
        subject=subject.strip(),
        body=body.strip() + "\n",
        from_email=portal_from_address(site),
        to=recipients,
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )


def send_templated(
    template: str,
    to: Iterable[str],
    context: dict[str, Any],
    site: Site | None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> bool:
    """Render ``emails/<template>.txt`` and send it (or queue it for a retry); False (logged)
    when it could be neither sent nor queued."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    message = compose(template, recipients, context, site, reply_to, headers)
    try:
        message.send()
    except Exception:  # a mail server outage must not lose the submission that triggered it
        log.exception("Could not send %s email to %s", template, recipients)
        return False
    return True


def send_digest(template: str, pages: Sequence[Page], site: Site, user, people: Iterable) -> None:
    """Once the transaction commits, one ``template`` email to each of ``people`` (the
    moderators) naming the ``pages`` ``user`` submitted at once, and where to review them."""
    context = {
        "count": len(pages),
        "submitter": user.get_full_name() or user.email,
        "titles": [page.title for page in pages],
        "review_url": absolute(site, reverse("wagtailadmin_home")),
    }
    addresses = sorted({person.email for person in people if person.email})
    transaction.on_commit(
        lambda: [send_templated(template, [to], context, site) for to in addresses]
    )


def absolute(site: Site | None, url: str) -> str:
    """``url`` (a path or a full URL) made absolute on ``site``."""
    if url.startswith(("http://", "https://")):
        return url
    base = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + url


def retry_queued_mail() -> int:
    """Send the emails the mail server did not take, each until it has been tried
    ``MAX_RETRIES`` times (django-post-office spaces the tries); the number that went out.
    Emails older than ``KEEP_SENT_MAIL`` leave the queue."""
    untried = Q(number_of_retries__lt=get_max_retries()) | Q(number_of_retries=None)
    # A failure at the first, immediate try is final for post-office: make it a retry.
    Email.objects.filter(untried, status=STATUS.failed).update(status=STATUS.requeued)
    sent = 0
    while True:
        went, _failed, _requeued = send_queued()
        sent += went
        if not went:  # nothing left that is due, or the server still refuses
            break
    cleanup_expired_mails(timezone.now() - KEEP_SENT_MAIL)
    return sent
