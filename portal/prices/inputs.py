"""What the board and the editors give a series: every candidate input, loaded once per
series, then picked per cutoff (quotes in the period, listings live at the cutoff)."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q

from portal.board.models import BuyRequestPage, Quote, TradeListingPage
from portal.core.models import Category

from .conversion import Rates
from .method import Input
from .models import PriceSeriesPage


@dataclass(frozen=True)
class Candidate:
    rank: int
    company: str  # who gave it, for counting companies and the cap; never published
    price: float
    currency: str
    unit: str
    starts: datetime | date  # a quote's moment, a listing's publication, an assessment's day
    ends: date | None  # a listing's last day on the board; None for the others
    reference: str  # "quote:12", "listing:40", "assessment:3"


@dataclass(frozen=True)
class Unconverted:
    candidate: Candidate
    why: str


def candidates(series: PriceSeriesPage) -> list[Candidate]:
    """Every input the series could use at any cutoff."""
    home = series.get_parent().get_parent()
    family = list(
        Category.objects.filter(
            Q(pk=series.category_id) | Q(parent_id=series.category_id)
        ).values_list("pk", flat=True)
    )
    return [
        *_quotes(series, home, family),
        *_listings(series, home, family),
        *_assessments(series),
    ]


class Pool:
    """A series' candidates, handed out cutoff by cutoff (cutoffs in increasing order): the
    quotes and assessments of each period, and the listings live at each cutoff, found by
    sweeping through them once rather than scanning them all at every cutoff."""

    def __init__(self, pool: list[Candidate]) -> None:
        listings = sorted((c for c in pool if c.ends is not None), key=lambda c: c.starts)
        self._waiting = listings[::-1]  # next to go live last, to pop
        self._live: list[Candidate] = []
        self._moments = sorted(
            (c for c in pool if c.ends is None and isinstance(c.starts, datetime)),
            key=lambda c: c.starts,
        )
        self._moment_keys = [c.starts for c in self._moments]
        self._days = sorted(
            (c for c in pool if c.ends is None and not isinstance(c.starts, datetime)),
            key=lambda c: c.starts,
        )
        self._day_keys = [c.starts for c in self._days]

    def at(self, start: datetime, cutoff: datetime) -> list[Candidate]:
        """The candidates of the period ``(start, cutoff]``: quotes and assessments made in
        it, listings live at the cutoff."""
        day = cutoff.date()
        while self._waiting and self._waiting[-1].starts <= cutoff:
            self._live.append(self._waiting.pop())
        self._live = [c for c in self._live if c.ends >= day]
        quotes = self._moments[
            bisect_right(self._moment_keys, start) : bisect_right(self._moment_keys, cutoff)
        ]
        assessed = self._days[
            bisect_right(self._day_keys, start.date()) : bisect_right(self._day_keys, day)
        ]
        return [*quotes, *self._live, *assessed]


def normalise(
    chosen: list[Candidate], series: PriceSeriesPage, rates: Rates, on: date
) -> tuple[list[Input], list[Unconverted]]:
    """The candidates in the series' currency and unit; those without a rate apart."""
    inputs, unconverted = [], []
    factors: dict[tuple[str, str], float | None] = {}
    for c in chosen:
        key = (c.currency, c.unit)
        if key not in factors:
            factors[key] = rates.price(1.0, c.currency, c.unit, series.currency, series.unit, on)
        factor = factors[key]
        price = None if factor is None else c.price * factor
        if price is None:
            unconverted.append(
                Unconverted(c, f"no rate from {c.currency}/{c.unit} on {on.isoformat()}")
            )
        else:
            inputs.append(Input(c.rank, c.company, price, c.reference))
    return inputs, unconverted


def _quotes(series: PriceSeriesPage, home, family: list[int]) -> list[Candidate]:
    requests = BuyRequestPage.objects.descendant_of(home).filter(category_id__in=family)
    if series.region_id:
        requests = requests.filter(region_id=series.region_id)
    if series.specification:
        requests = requests.filter(title__icontains=series.specification)
    rows = (
        Quote.objects.filter(request__in=requests.values("pk"))
        .exclude(status=Quote.WITHDRAWN)
        .values_list(
            "pk",
            "status",
            "price",
            "currency",
            "incoterm",
            "request__incoterm",
            "request__unit",
            "created_at",
            "decided_at",
            "membership__company_id",
            "membership_id",
        )
    )
    out = []
    for (
        pk,
        status,
        price,
        currency,
        incoterm,
        asked,
        unit,
        created,
        decided,
        company,
        member,
    ) in rows:
        if series.incoterm and (incoterm or asked) != series.incoterm:
            continue
        accepted = status == Quote.ACCEPTED and decided is not None
        out.append(
            Candidate(
                rank=1 if accepted else 2,
                company=f"company:{company}" if company else f"member:{member}",
                price=float(price),
                currency=currency,
                unit=unit,
                starts=decided if accepted else created,
                ends=None,
                reference=f"quote:{pk}",
            )
        )
    return out


def _listings(series: PriceSeriesPage, home, family: list[int]) -> list[Candidate]:
    listings = TradeListingPage.objects.descendant_of(home).filter(
        category_id__in=family, first_published_at__isnull=False
    )
    listings = listings.exclude(currency="").filter(
        Q(price_min__isnull=False) | Q(price_max__isnull=False)
    )
    if series.incoterm:
        listings = listings.filter(incoterm=series.incoterm)
    if series.region_id:
        listings = listings.filter(region_id=series.region_id)
    if series.specification:
        listings = listings.filter(
            Q(sellofferpage__specification__iexact=series.specification)
            | Q(title__icontains=series.specification)
        )
    rows = listings.values_list(
        "pk",
        "price_min",
        "price_max",
        "currency",
        "unit",
        "first_published_at",
        "valid_until",
        "closed_on",
        "company_id",
        "owner_id",
    )
    out = []
    for pk, low, high, currency, unit, published, valid_until, closed_on, company, owner in rows:
        prices = [p for p in (low, high) if p is not None]
        last_day = valid_until
        if closed_on is not None:
            last_day = min(last_day, closed_on - timedelta(days=1))  # gone on that day
        out.append(
            Candidate(
                rank=3,
                company=(
                    f"company:{company}"
                    if company
                    else f"user:{owner}"
                    if owner
                    else f"listing:{pk}"
                ),
                price=float(sum(prices, Decimal(0)) / len(prices)),
                currency=currency,
                unit=unit,
                starts=published,
                ends=last_day,
                reference=f"listing:{pk}",
            )
        )
    return out


def _assessments(series: PriceSeriesPage) -> list[Candidate]:
    out = []
    for a in series.assessments.all():
        out.append(
            Candidate(
                rank=4,
                # Each assessment stands for the survey its note names: a source of its own.
                company=f"assessment:{a.pk}",
                price=float(a.midpoint),
                currency=a.currency or series.currency,
                unit=a.unit or series.unit,
                starts=a.day,
                ends=None,
                reference=f"assessment:{a.pk}",
            )
        )
    return out
