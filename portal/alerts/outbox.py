"""Alert emails, queued in the transaction that records what they send.

With django-post-office (the project's email backend) the emails of a batch are rows written
in the same transaction as the deliveries they report: both are kept, or neither is. They are
sent once the run has committed them (``send_queued_now``); whatever the mail server does not
take stays in the queue and is retried (``retry_queued_mail``). Other backends (tests, the
console) send each email when its transaction commits.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from post_office.lockfile import FileLock, FileLocked, default_lockfile
from post_office.mail import send_queued
from post_office.models import PRIORITY, STATUS, Email

POST_OFFICE_BACKEND = "post_office.EmailBackend"


def uses_queue() -> bool:
    return settings.EMAIL_BACKEND == POST_OFFICE_BACKEND


def _row(message: EmailMessage) -> Email:
    return Email(
        from_email=message.from_email,
        to=message.to,
        subject=message.subject,
        message=message.body,
        headers=message.extra_headers,
        priority=PRIORITY.medium,
        status=STATUS.queued,
    )


class Outbox:
    """The emails of one transaction."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def add(self, message: EmailMessage) -> None:
        self.messages.append(message)

    def write(self) -> None:
        """Queue the emails in the current transaction: none goes out if it rolls back."""
        messages, self.messages = self.messages, []
        if not messages:
            return
        if uses_queue():
            Email.objects.bulk_create([_row(message) for message in messages])
        else:
            transaction.on_commit(lambda: [m.send(fail_silently=True) for m in messages])


def send_queued_now() -> int:
    """Send what the queue holds (one sender at a time); the number that went out."""
    if not uses_queue():
        return 0
    sent = 0
    try:
        with FileLock(default_lockfile):
            while True:
                went, _failed, _requeued = send_queued()
                sent += went
                if not went:  # nothing left that is due, or the server refuses
                    return sent
    except FileLocked:  # another process is sending the queue: it sends these too
        return sent
