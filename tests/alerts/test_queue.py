"""With the project's mail queue (django-post-office), an alert's email is a row written in
the transaction that records its deliveries, and goes out once that commits."""

import pytest
from django.core import mail
from post_office.models import STATUS, Email

from portal.alerts.models import Delivery

from .support import board_of, open_listing, publish_now, save_alert


@pytest.fixture
def post_office(settings):
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture
def alert(steel):
    listing = publish_now(open_listing(steel))
    url = f"/{board_of(steel).slug}/category/{listing.category.slug}/"
    alert = save_alert(steel, url=url)
    publish_now(listing)
    return alert


def test_the_email_is_queued_with_its_deliveries_and_sent_at_commit(alert, post_office, send):
    assert send().emails == 1
    (email,) = Email.objects.all()
    assert email.status == STATUS.sent and email.headers["List-Unsubscribe-Post"]
    assert len(mail.outbox) == 1 and Delivery.objects.filter(alert=alert).exists()


def test_a_crash_keeps_neither_the_email_nor_the_record(alert, post_office, send, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the process died")

    monkeypatch.setattr("portal.alerts.sending.Alert.objects.filter", crash)
    with pytest.raises(RuntimeError):
        send()
    assert not Email.objects.exists() and not Delivery.objects.exists() and mail.outbox == []
    monkeypatch.undo()
    assert send().emails == 1 and send().emails == 0
    assert Email.objects.count() == 1
