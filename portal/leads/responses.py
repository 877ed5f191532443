"""How responsive a company is: of the inquiries and enquiries it received in the last
``WINDOW_DAYS``, the share that got a reply (marked replied or won, or answered through the
portal) and the median time to the first reply.

Buyers see the figures rounded (``rate_shown``, ``time_shown``), so that a company page changes
when the rounded figures do, not with every new message."""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portal.board.models import Inquiry

from .models import Enquiry

WINDOW_DAYS = 90
MIN_RECEIVED = 3  # fewer than this: "Not enough inquiries yet"
RATE_STEP = 5  # percent
HOUR_STEPS = (1, 3, 6, 12, 24)
DAY_STEPS = (2, 3, 7, 14, 30)


@dataclass(frozen=True)
class ResponseFigures:
    received: int = 0
    replied: int = 0
    median: timedelta | None = None  # of the replied ones' time to the first reply

    @property
    def enough(self) -> bool:
        return self.received >= MIN_RECEIVED

    @property
    def rate(self) -> float:
        return self.replied / self.received if self.received else 0.0

    @property
    def rate_shown(self) -> int:
        """The response rate in percent, to the nearest ``RATE_STEP``."""
        return round(self.rate * 100 / RATE_STEP) * RATE_STEP

    @property
    def time_shown(self) -> str:
        """The median time to reply in words, rounded up to a step: "within 3 hours"."""
        return time_in_words(self.median)

    def shown(self) -> list[object]:
        """What a company page shows of these figures (its part of the page's stamp)."""
        return [self.rate_shown, self.time_shown] if self.enough else ["not enough"]


def time_in_words(delay: timedelta | None) -> str:
    if delay is None:
        return ""
    hours = delay.total_seconds() / 3600
    for step in HOUR_STEPS:
        if hours <= step:
            return "within an hour" if step == 1 else f"within {step} hours"
    for step in DAY_STEPS:
        if hours <= step * 24:
            return f"within {step} days"
    return f"after more than {DAY_STEPS[-1]} days"


def figures(messages: Iterable[tuple[datetime, datetime | None]]) -> ResponseFigures:
    """The figures of ``(received at, first replied at or None)`` pairs."""
    received = replied = 0
    delays = []
    for created, first_reply in messages:
        received += 1
        if first_reply is not None:
            replied += 1
            delays.append(max(first_reply - created, timedelta(0)))
    median = statistics.median(delays) if delays else None
    return ResponseFigures(received, replied, median)


def window_start(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=WINDOW_DAYS)


def company_messages(company_ids: Iterable[int] | None, since: datetime) -> dict[int, list]:
    """``{company id: [(received, first reply)...]}`` of board inquiries and enquiries received
    since ``since``, for ``company_ids`` (None: every company), in two queries."""
    inquiries = Inquiry.objects.filter(created_at__gte=since, listing__company__isnull=False)
    enquiries = Enquiry.objects.filter(created_at__gte=since, company__isnull=False)
    if company_ids is not None:
        ids = list(company_ids)
        inquiries = inquiries.filter(listing__company__in=ids)
        enquiries = enquiries.filter(company__in=ids)
    found: dict[int, list] = defaultdict(list)
    for company, created, replied in inquiries.values_list(
        "listing__company", "created_at", "replied_at"
    ):
        found[company].append((created, replied))
    for company, created, replied in enquiries.values_list("company", "created_at", "replied_at"):
        found[company].append((created, replied))
    return found


def company_figures(
    company_ids: Iterable[int] | None = None, now: datetime | None = None
) -> dict[int, ResponseFigures]:
    """Each company's figures over the last ``WINDOW_DAYS`` (only companies that received
    something are keys)."""
    found = company_messages(company_ids, window_start(now))
    return {company: figures(pairs) for company, pairs in found.items()}


def figures_of(company_id: int) -> ResponseFigures:
    return company_figures([company_id]).get(company_id, ResponseFigures())
