"""Prices in another currency or unit, at the portal's rates of the day."""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date

CURRENCY, UNIT = "currency", "unit"


class Rates:
    """A portal's dated conversion rates: ``(kind, source, target, rate, valid_from)`` rows,
    where one ``source`` is worth ``rate`` ``target`` from ``valid_from`` on."""

    def __init__(self, rows: Iterable[tuple[str, str, str, float, date]]) -> None:
        table: dict[tuple[str, str, str], list[tuple[date, float]]] = {}
        for kind, source, target, rate, valid_from in rows:
            rate = float(rate)
            table.setdefault((kind, source, target), []).append((valid_from, rate))
            table.setdefault((kind, target, source), []).append((valid_from, 1 / rate))
        self._table = {key: sorted(values) for key, values in table.items()}
        self._days = {key: [d for d, _ in values] for key, values in self._table.items()}
        self._codes: dict[str, set[str]] = {}
        for kind, source, _target in self._table:
            self._codes.setdefault(kind, set()).add(source)

    def factor(self, kind: str, source: str, target: str, on: date) -> float | None:
        """How many ``target`` one ``source`` is worth on ``on``: directly, inversely, or
        through one other code; None when no rate was valid then."""
        if source == target:
            return 1.0
        direct = self._rate(kind, source, target, on)
        if direct is not None:
            return direct
        for middle in sorted(self._codes.get(kind, ())):
            first = self._rate(kind, source, middle, on)
            if first is None:
                continue
            second = self._rate(kind, middle, target, on)
            if second is not None:
                return first * second
        return None

    def price(
        self, price: float, currency: str, unit: str, to_currency: str, to_unit: str, on: date
    ) -> float | None:
        """``price`` (in ``currency`` per ``unit``) in ``to_currency`` per ``to_unit``."""
        money = self.factor(CURRENCY, currency, to_currency, on)
        # A price per kg is worth 1,000 times as much per t: as many as one t holds.
        quantity = self.factor(UNIT, to_unit, unit, on)
        if money is None or quantity is None:
            return None
        return price * money * quantity

    def _rate(self, kind: str, source: str, target: str, on: date) -> float | None:
        key = (kind, source, target)
        days = self._days.get(key)
        if not days:
            return None
        position = bisect_right(days, on)
        return self._table[key][position - 1][1] if position else None
