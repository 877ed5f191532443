"""Supply and demand on the board: for a category (with its subcategories), the new sell
offers and buy requests of each recent week, their volumes and their ratio, as the category's
board page charts them.

A listing counts in the ISO week (Monday to Sunday, in the site's time zone) of its first
publication, and keeps counting once it closes or expires: it was new supply or demand that
week. Listings a moderator took off the board (unpublished, neither closed nor expired) do
not count. Volumes add up quantities in one unit only, the one most listings of the category
use in the weeks shown, since tonnes and pieces do not add up.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from markupsafe import Markup
from wagtail.models import Page

from portal.core.charts import MONTHS, BarSeries, LineSeries, bar_chart, format_number
from portal.core.models import Category

from .models import BoardIndexPage, TradeListingPage

WEEKS_SHOWN = 26
SUMMARY_WEEKS = 4

# (week start, category id, kind, unit, listings, sum of their quantities)
Row = tuple[date, int, str, str, int, Decimal]


@dataclass(frozen=True)
class Week:
    """New listings of one week; volumes in the balance's unit."""

    start: date
    offers: int = 0
    requests: int = 0
    offered: Decimal = Decimal(0)
    requested: Decimal = Decimal(0)

    @property
    def ratio(self) -> float | None:
        """Offers per request; None without requests."""
        return self.offers / self.requests if self.requests else None


@dataclass(frozen=True)
class Balance:
    """A category's supply and demand over the weeks shown, oldest week first."""

    category: Category
    weeks: tuple[Week, ...]
    unit: str = ""  # the unit volumes are counted in ("" when nothing was listed)
    unit_name: str = ""
    other_units: tuple[str, ...] = field(default=())  # units left out of the volumes

    @property
    def is_empty(self) -> bool:
        return not any(week.offers or week.requests for week in self.weeks)

    def recent(self, count: int = SUMMARY_WEEKS) -> Week:
        """The last ``count`` weeks (the current one included) added up."""
        weeks = self.weeks[-count:]
        return Week(
            start=weeks[0].start if weeks else date.min,
            offers=sum(w.offers for w in weeks),
            requests=sum(w.requests for w in weeks),
            offered=sum((w.offered for w in weeks), Decimal(0)),
            requested=sum((w.requested for w in weeks), Decimal(0)),
        )

    @property
    def summary(self) -> str:
        """``Last 4 weeks: 32 offers, 18 requests — supply exceeds demand 1.8 : 1``."""
        recent = self.recent()
        head = f"Last {SUMMARY_WEEKS} weeks:"
        offers, requests = recent.offers, recent.requests
        if not offers and not requests:
            return f"{head} no new offers or requests."
        counts = f"{head} {_count(offers, 'offer')}, {_count(requests, 'request')}"
        if not requests:
            return f"{counts} — supply only."
        if not offers:
            return f"{counts} — demand only."
        supply, demand = round(offers / requests, 1), round(requests / offers, 1)
        if supply > 1:
            return f"{counts} — supply exceeds demand {format_number(supply, 1)} : 1."
        if demand > 1:
            return f"{counts} — demand exceeds supply {format_number(demand, 1)} : 1."
        return f"{counts} — supply and demand are balanced."

    @property
    def unit_label(self) -> str:
        """``t`` or ``tonnes (t)``: how tables and the chart name the unit of volumes."""
        if self.unit_name and self.unit_name != self.unit:
            return f"{self.unit_name} ({self.unit})"
        return self.unit

    @property
    def unit_note(self) -> str:
        if not self.unit:
            return ""
        note = f"Volumes in {self.unit_label}"
        if self.other_units:
            note += f"; listings in {', '.join(self.other_units)} are counted but not added up"
        return note + "."

    def chart(self) -> Markup:
        """New offers and requests per week as bars, offers per request as a line; "No data
        yet" when nothing was listed in the weeks shown."""
        weeks = () if self.is_empty else self.weeks
        starts = [week.start for week in weeks]
        name = self.category.name
        return bar_chart(
            chart_id=f"balance-{self.category.slug}",
            title=f"Supply and demand: {name}",
            description=(
                f"New sell offers and buy requests in {name} per week over the last "
                f"{len(self.weeks)} weeks, and offers per request. {self.summary} "
                f"{self.unit_note}"
            ).strip(),
            x=starts,
            series=[
                BarSeries("Sell offers", [week.offers for week in weeks]),
                BarSeries("Buy requests", [week.requests for week in weeks]),
            ],
            line=LineSeries("Offers per request", [week.ratio for week in weeks]),
            line_label="offers per request",
            y_label="new listings",
            height=120 if self.is_empty else 280,
        )

    def table_head(self) -> list[str]:
        volume = f" ({self.unit})" if self.unit else ""
        return [
            "Week of",
            "Sell offers",
            "Buy requests",
            "Offers per request",
            f"Offered{volume}",
            f"Requested{volume}",
        ]

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """Each week, newest first, with its figures as the table shows them."""
        return [
            (
                f"{week.start.day} {MONTHS[week.start.month - 1]} {week.start.year}",
                [
                    format_number(week.offers),
                    format_number(week.requests),
                    format_number(round(week.ratio, 2) if week.ratio is not None else None),
                    format_number(week.offered) if self.unit else "–",
                    format_number(week.requested) if self.unit else "–",
                ],
            )
            for week in reversed(self.weeks)
        ]


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_starts(today: date | None = None, weeks: int = WEEKS_SHOWN) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, the current one last."""
    current = week_start(today or timezone.localdate())
    return [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def counted(listings: QuerySet) -> QuerySet:
    """Those of ``listings`` that count as new supply or demand: published and public,
    whether still on the board or since closed or expired."""
    return (
        listings.public()
        .filter(first_published_at__isnull=False)
        .filter(Q(live=True) | Q(expired=True) | Q(closed_on__isnull=False))
    )


class WeekOf(TruncWeek):
    """``TruncWeek``, in SQL on SQLite when the current time zone is UTC (Django computes it
    there with a Python function called for every row): the Monday of the date, at midnight,
    as SQLite stores a date and time."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if timezone.get_current_timezone_name() != "UTC":
            return self.as_sql(compiler, connection, **extra_context)
        value, params = compiler.compile(self.lhs)
        return f"strftime('%%Y-%%m-%%d 00:00:00', {value}, '-6 days', 'weekday 1')", params


def weekly_rows(listings: QuerySet, since: date) -> list[Row]:
    """``listings`` first published from ``since`` on, counted and summed by week, category,
    kind and unit: one query."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    rows = (
        listings.filter(first_published_at__gte=start)
        .annotate(week=WeekOf("first_published_at"))
        .values_list("week", "category_id", "kind", "unit")
        .annotate(listings=Count("pk"), volume=Sum("quantity"))
        .order_by("week", "category_id", "kind", "unit")
    )
    return [
        (_as_date(week), category_id, kind, unit, count, volume or Decimal(0))
        for week, category_id, kind, unit, count, volume in rows
    ]


def category_balance(
    board: Page,
    category: Category,
    family: Sequence[int] | None = None,
    *,
    today: date | None = None,
    weeks: int = WEEKS_SHOWN,
    unit_names: dict[str, str] | None = None,
) -> Balance:
    """The balance of ``category`` and its subcategories (``family``, the category's own id
    and its children's; asked of the database when not given) on ``board``."""
    starts = week_starts(today, weeks)
    family = list(family) if family else family_of(category)
    listings = counted(TradeListingPage.objects.child_of(board).filter(category_id__in=family))
    rows = weekly_rows(listings, starts[0])
    return balance_of(category, starts, rows, unit_names or {})


def balance_of(
    category: Category, starts: list[date], rows: Iterable[Row], unit_names: dict[str, str]
) -> Balance:
    """The weeks starting on ``starts`` made of ``rows`` (of the category's family)."""
    rows = list(rows)
    used: Counter[str] = Counter()
    for _, _, _, unit, count, _ in rows:
        used[unit] += count
    ranked = sorted(used, key=lambda unit: (-used[unit], unit))
    unit = ranked[0] if ranked else ""
    tally = {start: [0, 0, Decimal(0), Decimal(0)] for start in starts}
    for start, _, kind, row_unit, count, volume in rows:
        week = tally.get(start)
        if week is None:
            continue
        sell = kind == TradeListingPage.KIND_SELL
        week[0 if sell else 1] += count
        if row_unit == unit:
            week[2 if sell else 3] += volume
    return Balance(
        category=category,
        weeks=tuple(Week(start, *tally[start]) for start in starts),
        unit=unit,
        unit_name=unit_names.get(unit, ""),
        other_units=tuple(ranked[1:]),
    )


def family_of(category: Category) -> list[int]:
    """The category's id and its children's (no query when its children were prefetched, as
    the sections' taxonomy has them)."""
    return [category.pk, *(child.pk for child in category.children.all())]


def first_page_balances(root: Page, today: date | None = None) -> dict[tuple, list]:
    """What the first page of each category's list on the boards below ``root`` charts, for
    the static export's stamps (``SectionType.first_page_content``): the current week and the
    weekly figures of the category and its subcategories (one query per board)."""
    starts = week_starts(today)
    shown: dict[tuple, list] = {}
    for board in BoardIndexPage.objects.child_of(root):
        rows = weekly_rows(counted(TradeListingPage.objects.child_of(board)), starts[0])
        by_category: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            by_category[row[1]].append(row)
        for kind, choice in board.filter_choices():
            if kind == "category":
                figures = [row for pk in family_of(choice) for row in by_category.get(pk, [])]
                shown[(board.pk, kind, choice.slug)] = [starts[-1].isoformat(), *figures]
    return shown


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
