"""Calendar months and date ranges of events: what the month filter and the cards read."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import dateformat

MONTH_SLUG = re.compile(r"(\d{4})-(\d{2})")
LONGEST_EVENT = timedelta(days=366)  # an event may last a year at most (an expo)


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month, a filter of an events section: ``month/2027-03/``."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, slug: str) -> "Month | None":
        """The month ``2027-03`` stands for; None for anything else (``2027-13``, ``abc``)."""
        match = MONTH_SLUG.fullmatch(slug)
        if match is None:
            return None
        year, month = int(match[1]), int(match[2])
        return cls(year, month) if 1 <= year <= 9999 and 1 <= month <= 12 else None

    @property
    def slug(self) -> str:
        """What stands for the month in its URL (``filter_value`` reads it)."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        return dateformat.format(self.first, "F Y")

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        if self.month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.month + 1, 1) - timedelta(days=1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)


def months_spanned(ranges: Iterable[tuple[date, date]]) -> list[Month]:
    """Every month at least one of the ``(start, end)`` ranges touches, in order."""
    months: set[Month] = set()
    for start, end in ranges:
        month, last = Month.of(start), Month.of(min(max(start, end), start + LONGEST_EVENT))
        while month <= last:
            months.add(month)
            month = month.next()
    return sorted(months)


def date_range(start: date, end: date) -> str:
    """``12 Mar 2027``, ``12–14 Mar 2027``, ``28 Mar – 2 Apr 2027``, ``30 Dec 2026 – 2 Jan
    2027``."""
    if end <= start:
        return dateformat.format(start, "j M Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{dateformat.format(end, 'j M Y')}"
    if start.year == end.year:
        return f"{dateformat.format(start, 'j M')} – {dateformat.format(end, 'j M Y')}"
    return f"{dateformat.format(start, 'j M Y')} – {dateformat.format(end, 'j M Y')}"
