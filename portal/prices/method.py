"""How one point of a price series is worked out of its inputs: the published method.

Pure functions of the inputs, so the method is tested with known inputs and a known result:

1. **Ranks.** Inputs come in ranks: accepted quotes (1), quotes (2), live offers and requests
   (3), editors' assessments (4). Ranks are taken in order until the point has enough inputs
   from enough companies; lower ranks are then left out.
2. **Too little.** Fewer inputs or companies than the method's minimum: the last value is
   carried forward and marked, or the point is not assessed.
3. **Company cap.** Each input weighs the same, except that no company weighs more than the
   cap (30 % of the point, say): the excess is shared among the others, in proportion.
4. **Outliers.** Inputs further than N standard deviations from the weighted mean are trimmed;
   weights are worked out again on what is left, which must still meet the minimum.
5. **Value.** The weighted mean of what is left; its low and high are the extremes.
"""

from collections import Counter
from dataclasses import dataclass, field
from math import sqrt
from typing import Literal

from .options import Method

RANKS = {
    1: "accepted quote",
    2: "quote",
    3: "offer or request",
    4: "editors' assessment",
}
ASSESSED, CARRIED, NOT_ASSESSED = "assessed", "carried", "not assessed"
USED, TRIMMED, NOT_NEEDED, TOO_FEW = "used", "trimmed", "not needed", "too few"


@dataclass(frozen=True)
class Input:
    """One price, already in the series' unit and currency."""

    rank: int
    company: str  # who gave it: a key for counting companies and capping, never published
    price: float
    reference: str = ""  # where it comes from ("quote:12"), for the log's anonymised ids


@dataclass(frozen=True)
class Outcome:
    input: Input
    status: Literal["used", "trimmed", "not needed", "too few"]
    weight: float = 0.0  # its share of the value; 0 unless used


@dataclass(frozen=True)
class Assessment:
    status: Literal["assessed", "carried", "not assessed"]
    value: float | None
    low: float | None = None
    high: float | None = None
    inputs: int = 0  # used
    companies: int = 0  # distinct companies among the used inputs
    trimmed: int = 0
    capped: tuple[str, ...] = ()  # companies whose weight the cap lowered
    ranks: tuple[int, ...] = ()  # ranks used
    reason: str = ""  # why it was carried forward or not assessed
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False)


def assess(inputs: list[Input], method: Method, previous: float | None = None) -> Assessment:
    """The point the method gives ``inputs``; ``previous`` is the last value, carried forward
    when the inputs are too few and the method says so."""
    selected, left_out = _by_rank(inputs, method)
    if not _enough(selected, method):
        return _too_little(inputs, method, previous, _shortfall(selected, method))
    weights = capped_weights(selected, method.company_cap)
    kept, trimmed = _trim(selected, weights, method.outliers)
    if not _enough(kept, method):
        reason = f"too few after trimming {len(trimmed)} outlier(s): {_shortfall(kept, method)}"
        return _too_little(inputs, method, previous, reason)
    weights = capped_weights(kept, method.company_cap)
    value = sum(w * i.price for i, w in zip(kept, weights, strict=True))
    outcomes = (
        *(Outcome(i, USED, w) for i, w in zip(kept, weights, strict=True)),
        *(Outcome(i, TRIMMED) for i in trimmed),
        *(Outcome(i, NOT_NEEDED) for i in left_out),
    )
    return Assessment(
        status=ASSESSED,
        value=value,
        low=min(i.price for i in kept),
        high=max(i.price for i in kept),
        inputs=len(kept),
        companies=len({i.company for i in kept}),
        trimmed=len(trimmed),
        capped=_capped(kept, method.company_cap),
        ranks=tuple(sorted({i.rank for i in kept})),
        outcomes=outcomes,
    )


def capped_weights(inputs: list[Input], cap: float) -> list[float]:
    """Each input's share: equal shares, except that no company's total passes ``cap``.

    A company over the cap is held at it and the rest is shared again among the others in
    proportion to their inputs, until nobody is over. When even equal company shares would
    pass the cap (too few companies), each company gets an equal share.
    """
    if not inputs:
        return []
    counts = Counter(i.company for i in inputs)
    shares = _company_shares(counts, cap)
    return [shares[i.company] / counts[i.company] for i in inputs]


def _company_shares(counts: Counter, cap: float) -> dict[str, float]:
    if cap * len(counts) < 1:
        return {company: 1 / len(counts) for company in counts}
    fixed: dict[str, float] = {}
    while True:
        free = {c: n for c, n in counts.items() if c not in fixed}
        remaining = 1 - sum(fixed.values())
        total = sum(free.values())
        shares = {c: remaining * n / total for c, n in free.items()}
        over = [c for c, share in shares.items() if share > cap + 1e-12]
        if not over:
            return {**fixed, **shares}
        for company in over:
            fixed[company] = cap


def _capped(inputs: list[Input], cap: float) -> tuple[str, ...]:
    counts = Counter(i.company for i in inputs)
    return tuple(sorted(c for c, n in counts.items() if n / len(inputs) > cap + 1e-12))


def _by_rank(inputs: list[Input], method: Method) -> tuple[list[Input], list[Input]]:
    """The inputs of the best ranks that together are enough, and those left out."""
    selected: list[Input] = []
    ranks = sorted({i.rank for i in inputs})
    for position, rank in enumerate(ranks):
        selected += [i for i in inputs if i.rank == rank]
        if _enough(selected, method):
            return selected, [i for i in inputs if i.rank in ranks[position + 1 :]]
    return selected, []


def _trim(
    inputs: list[Input], weights: list[float], deviations: float
) -> tuple[list[Input], list[Input]]:
    if deviations <= 0 or len(inputs) < 3:
        return inputs, []
    mean = sum(w * i.price for i, w in zip(inputs, weights, strict=True))
    spread = sqrt(sum(w * (i.price - mean) ** 2 for i, w in zip(inputs, weights, strict=True)))
    if spread == 0:
        return inputs, []
    limit = deviations * spread
    kept = [i for i in inputs if abs(i.price - mean) <= limit]
    return kept, [i for i in inputs if abs(i.price - mean) > limit]


def _enough(inputs: list[Input], method: Method) -> bool:
    return (
        len(inputs) >= method.min_inputs
        and len({i.company for i in inputs}) >= method.min_companies
    )


def _shortfall(inputs: list[Input], method: Method) -> str:
    companies = len({i.company for i in inputs})
    return (
        f"{len(inputs)} input(s) from {companies} compan{'y' if companies == 1 else 'ies'}; "
        f"the method needs {method.min_inputs} from {method.min_companies}"
    )


def _too_little(
    inputs: list[Input], method: Method, previous: float | None, reason: str
) -> Assessment:
    outcomes = tuple(Outcome(i, TOO_FEW) for i in inputs)
    if method.too_little == "carry" and previous is not None:
        return Assessment(CARRIED, previous, reason=reason, outcomes=outcomes)
    return Assessment(NOT_ASSESSED, None, reason=reason, outcomes=outcomes)
