"""``make demo`` shows alerts: the demo accounts' alerts, sent by the first run."""

import pytest
from django.core import mail
from django.core.management import call_command

from portal.alerts.models import Alert


@pytest.mark.slow
def test_demo_alerts_are_sent_by_the_first_run(steel, django_capture_on_commit_callbacks):
    call_command("demo_users", verbosity=0)
    call_command("assess_prices", "steel", verbosity=0)
    call_command("demo_alerts", verbosity=0)  # once, as make demo runs it
    alerts = Alert.objects.filter(site__root_page=steel)
    assert {a.kind for a in alerts} == {"search", "company", "category", "price"}
    assert alerts.count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", verbosity=0)
    to = {address for message in mail.outbox for address in message.to}
    assert "buyer@steel.example" in to and "watcher@steel.example" in to
    subjects = " ".join(message.subject for message in mail.outbox)
    assert "Price alert" in subjects
    assert all("List-Unsubscribe-Post" in message.extra_headers for message in mail.outbox)

    mail.outbox.clear()
    call_command("demo_alerts", verbosity=0)  # again: nothing doubles, nothing is sent again
    assert alerts.count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", verbosity=0)
    assert mail.outbox == []
