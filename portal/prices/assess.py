"""``assess_prices``: every series of a portal, assessed at each cutoff of a period.

Idempotent: points are worked out again from what the database holds, and only what differs
is written. A point whose value (or status) changes keeps the earlier value in its
``corrections``, and its page marks the correction.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from portal.core import changes
from portal.core.models.shared import changed as shared_changed

from .conversion import Rates
from .inputs import Pool, Unconverted, candidates, normalise
from .method import NOT_NEEDED, RANKS, Assessment, assess
from .models import PriceIndexPage, PricePoint, PriceSeriesPage
from .options import Method

CENT = Decimal("0.01")


@dataclass
class Summary:
    series: int = 0
    created: int = 0
    corrected: int = 0
    updated: int = 0
    unchanged: int = 0
    by_series: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.corrected or self.updated)

    def add(self, other: "Summary") -> None:
        for name in ("series", "created", "corrected", "updated", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_series.update(other.by_series)


def cutoffs(series: PriceSeriesPage, since: date, now: datetime) -> list[datetime]:
    """The series' cutoffs from ``since`` to ``now``: one a week on its weekday, or one each
    working day (Monday to Friday) for a daily series; times are UTC."""
    out = []
    day = since
    while day <= now.date():
        due = (
            day.weekday() == series.cutoff_weekday
            if series.frequency == "weekly"
            else day.weekday() < 5
        )
        moment = datetime.combine(day, series.cutoff_time, tzinfo=UTC)
        if due and moment <= now:
            out.append(moment)
        day += timedelta(days=1)
    return out


def rates_of(index: PriceIndexPage) -> Rates:
    return Rates(
        index.conversion_rates.values_list("kind", "source", "target", "rate", "valid_from")
    )


def assess_portal(
    index: PriceIndexPage,
    now: datetime | None = None,
    days: int = 400,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Assess every live series of the section at its cutoffs of the last ``days`` days."""
    now = now or timezone.now()
    rates = rates_of(index)
    summary = Summary()
    for series in PriceSeriesPage.objects.child_of(index).live().order_by("path"):
        result = assess_series(series, rates, now.date() - timedelta(days=days), now)
        summary.add(result)
        if progress:
            progress(f"{series.title}: {result.by_series[series.key]}")
    if summary.changed:
        shared_changed()  # the cautions kept per process (bulk writes send no signals)
        site = index.get_site()
        changes.note(site.pk if site else None)
    return summary


@transaction.atomic
def assess_series(series: PriceSeriesPage, rates: Rates, since: date, now: datetime) -> Summary:
    method = Method.model_validate(series.method)
    pool = Pool(candidates(series))
    # Compared by digest: the logs (thousands of inputs each) stay in the database.
    existing = {p.period_end: p for p in series.points.defer("log")}
    before = [p for day, p in existing.items() if day < since and p.value is not None]
    previous = float(max(before, key=lambda p: p.period_end).value) if before else None
    summary = Summary(series=1)
    new, changed = [], []
    start = None
    moments = cutoffs(series, since, now)
    for cutoff in moments:
        window_start = start or cutoff - _period(series)
        start = cutoff
        inputs, unconverted = normalise(pool.at(window_start, cutoff), series, rates, cutoff.date())
        result = assess(inputs, method, previous)
        values = _point_values(series, cutoff.date(), result, unconverted)
        point = existing.get(cutoff.date())
        if point is None:
            new.append(
                PricePoint(series=series, period_end=cutoff.date(), assessed_at=now, **values)
            )
            summary.created += 1
        elif point.digest != values["digest"]:
            if point.status != values["status"] or point.value != values["value"]:
                point.corrections = [
                    *point.corrections,
                    {
                        "value": float(point.value) if point.value is not None else None,
                        "status": point.status,
                        "replaced_on": now.date().isoformat(),
                    },
                ]
                summary.corrected += 1
            else:
                summary.updated += 1
            for name, value in values.items():
                setattr(point, name, value)
            point.assessed_at = now
            changed.append(point)
        else:
            summary.unchanged += 1
        if result.value is not None:
            previous = result.value
    PricePoint.objects.bulk_create(new, batch_size=500)
    if changed:  # every point has the same values (``_point_values``)
        fields = [*values, "corrections", "assessed_at"]
        PricePoint.objects.bulk_update(changed, fields, batch_size=100)
    summary.by_series[series.key] = (
        f"{len(moments)} cutoffs, {summary.created} new, {summary.corrected} corrected, "
        f"{summary.updated} updated"
    )
    return summary


def _period(series: PriceSeriesPage) -> timedelta:
    return timedelta(days=7 if series.frequency == "weekly" else 1)


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def _point_values(
    series: PriceSeriesPage, day: date, result: Assessment, unconverted: list[Unconverted]
) -> dict:
    values = {
        "status": result.status,
        "value": _money(result.value),
        "low": _money(result.low),
        "high": _money(result.high),
        "inputs": result.inputs,
        "companies": result.companies,
        "trimmed": result.trimmed,
        "capped": len(result.capped),
        "ranks": ",".join(str(r) for r in result.ranks),
        "reason": result.reason,
        "log": input_log(series, day, result, unconverted),
        "left_out": sum(1 for o in result.outcomes if o.status == NOT_NEEDED),
    }
    values["digest"] = hashlib.blake2b(
        json.dumps(values, default=str, sort_keys=True).encode(), digest_size=16
    ).hexdigest()
    return values


def input_log(
    series: PriceSeriesPage, day: date, result: Assessment, unconverted: list[Unconverted]
) -> list[dict]:
    """The inputs as the public may see them: no names, no links; companies are letters,
    drawn afresh for each point so that they cannot be followed from one point to the next."""
    companies = {o.input.company for o in result.outcomes if o.status != NOT_NEEDED} | {
        u.candidate.company for u in unconverted
    }
    salt = f"{series.pk}:{day.isoformat()}"
    order = sorted(companies, key=lambda c: hashlib.sha256(f"{salt}:{c}".encode()).hexdigest())
    letter = {company: _letters(n) for n, company in enumerate(order)}
    entries = [
        {
            "rank": o.input.rank,
            "source": RANKS[o.input.rank],
            "company": letter[o.input.company],
            "price": round(o.input.price, 2),
            "status": o.status,
            "weight": round(o.weight, 4),
        }
        for o in result.outcomes
        if o.status != NOT_NEEDED  # counted in ``left_out``, not listed
    ]
    entries += [
        {
            "rank": u.candidate.rank,
            "source": RANKS[u.candidate.rank],
            "company": letter[u.candidate.company],
            "price": round(u.candidate.price, 2),
            "status": f"left out: {u.why}",
            "weight": 0.0,
        }
        for u in unconverted
    ]
    return sorted(
        entries, key=lambda e: (e["status"] != "used", e["rank"], e["price"], e["company"])
    )


def _letters(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA..."""
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name
