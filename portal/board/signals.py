"""Signal wiring for the board: moderation decisions and publications send emails."""

from django.db import transaction
from wagtail.signals import page_published, workflow_approved, workflow_rejected

from .models import TradeListingPage
from .notifications import alert_matches, notify_decision


def on_approved(sender, instance, user=None, **kwargs) -> None:
    notify_decision(instance, approved=True, user=user)


def on_rejected(sender, instance, user=None, **kwargs) -> None:
    notify_decision(instance, approved=False, user=user)


def on_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, TradeListingPage):
        transaction.on_commit(lambda: alert_matches(instance))


def connect() -> None:
    workflow_approved.connect(on_approved, dispatch_uid="board-approved")
    workflow_rejected.connect(on_rejected, dispatch_uid="board-rejected")
    page_published.connect(on_published, dispatch_uid="board-published")
