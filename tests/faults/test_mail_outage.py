"""The mail server down: inquiries and alerts wait in the queue and go out once it is back.

A real SMTP server (aiosmtpd) on loopback; Django's SMTP transport behind the project's
queue (django-post-office), as in production.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from post_office.models import STATUS, Email

from portal.board.models import BuyRequestPage, Inquiry, TradeListingPage

from ..conftest import host
from ..support import free_port
from ..test_board import inquiry, live_offer


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_port(settings) -> int:
    """The production mail set-up, pointed at a loopback port where nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    return port


def test_a_mail_outage_delays_inquiries_and_alerts_and_loses_none(
    client, steel, make_member, smtp_port, django_capture_on_commit_callbacks
):
    supplier = make_member(steel, "supplier")
    offer = live_offer(steel, supplier)
    supplier.notify_matches = True
    supplier.save()
    request = (
        BuyRequestPage.objects.live().descendant_of(steel).filter(TradeListingPage.current())
    ).first()
    request.category, request.region = offer.category, offer.region

    # The mail server is down: the inquiry and the match alert are taken all the same.
    response = client.post(
        f"/market/listings/{offer.pk}/inquiry/",
        inquiry(message="Forty tonnes by May?"),
        HTTP_HOST=host("steel"),
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        request.save_revision().publish()
    waiting = Email.objects.exclude(status=STATUS.sent)
    assert waiting.count() == 2
    assert Inquiry.objects.filter(listing=offer, message="Forty tonnes by May?").exists()

    # Still down at the next scheduled run: tried again, kept again.
    call_command("run_board_jobs", verbosity=0)
    assert waiting.count() == 2 and not Email.objects.filter(status=STATUS.sent).exists()

    # A quarter of an hour later the server is back; the next run delivers both, once.
    Email.objects.update(scheduled_time=timezone.now())
    with smtp_server(smtp_port) as inbox:
        call_command("run_board_jobs", verbosity=0)
        call_command("run_board_jobs", verbosity=0)
    assert not waiting.exists()
    assert len(inbox.messages) == 2
    to_supplier = [m for m in inbox.messages if m["To"] == supplier.user.email]
    relayed = next(m for m in to_supplier if "Forty tonnes by May?" in m.get_payload())
    assert relayed["Reply-To"] == "ada.buyer@example.com"
    assert any(request.title in m.get_payload() for m in to_supplier if m is not relayed)
