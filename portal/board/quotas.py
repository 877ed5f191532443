"""What the board counts towards a company's plan quotas (see ``portal.plans.quotas``):
live listings (open, or awaiting moderation) and quotes sent in the last seven days."""

from datetime import timedelta

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import WorkflowState

from portal.plans import quotas

from .models import Quote, TradeListingPage

WEEK = timedelta(days=7)


def live_listings(company) -> int:
    """The company's listings that are open, or awaiting moderation."""
    in_moderation = WorkflowState.objects.filter(
        base_content_type__model="page",
        object_id=Cast(OuterRef("pk"), CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return (
        TradeListingPage.objects.filter(company=company)
        .filter(Q(live=True, **_current()) | Q(Exists(in_moderation), closed_on__isnull=True))
        .count()
    )


def _current() -> dict:
    return {"valid_until__gte": timezone.localdate(), "closed_on__isnull": True}


def quotes_per_week(company) -> int:
    """Quotes the company's members sent in the last seven days (withdrawn ones count too:
    sending is what the quota limits)."""
    since = timezone.now() - WEEK
    return Quote.objects.filter(membership__company=company, created_at__gte=since).count()


def register() -> None:
    """Wire the board's counters (from ``BoardConfig.ready``)."""
    quotas.register_usage("live_listings", live_listings)
    quotas.register_usage("quotes_per_week", quotes_per_week)
