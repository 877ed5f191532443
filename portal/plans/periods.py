"""Plan periods: a plan of N months from a day ends the day before the same date N months on."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` on, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(starts_on: date, months: int) -> date:
    """The last day of a period of ``months`` starting on ``starts_on``."""
    return add_months(starts_on, months) - timedelta(days=1)
