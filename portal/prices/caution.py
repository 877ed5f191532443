"""A sell offer priced far under its series' latest value shows buyers a caution: advance-fee
and fake-stock fraud starts with prices too good to be true."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wagtail.models import Page

from .assess import rates_of
from .conversion import Rates
from .models import PriceIndexPage, PricePoint, PriceSeriesPage


@dataclass(frozen=True)
class Caution:
    series: PriceSeriesPage
    value: Decimal  # the series' latest value
    price: float  # the listing's price in the series' currency and unit
    share: float  # price / value

    @property
    def percent_below(self) -> int:
        return round((1 - self.share) * 100)


class CautionCheck:
    """The series of one prices section with their latest values, loaded once, to check
    any number of listings of the portal."""

    def __init__(self, index: PriceIndexPage) -> None:
        self.threshold = index.caution_below
        self.rates: Rates = rates_of(index)
        series = list(PriceSeriesPage.objects.live().child_of(index).order_by("path"))
        latest: dict[int, Decimal] = {}
        for series_id, value in (
            PricePoint.objects.filter(series__in=series, value__isnull=False)
            .order_by("series_id", "period_end")
            .values_list("series_id", "value")
        ):
            latest[series_id] = value
        self.series = [(s, latest[s.pk]) for s in series if s.pk in latest]

    @classmethod
    def for_portal(cls, home: Page) -> "CautionCheck | None":
        index = PriceIndexPage.objects.live().child_of(home).first()
        return cls(index) if index is not None else None

    def __call__(self, listing: Page, parent_category_id: int | None) -> Caution | None:
        """The caution ``listing`` shows, if a sell offer priced under the threshold."""
        if getattr(listing, "kind", None) != "sell" or not listing.currency:
            return None
        prices = [p for p in (listing.price_min, listing.price_max) if p is not None]
        if not prices:
            return None
        for series, value in self.series:
            if series.category_id not in (listing.category_id, parent_category_id):
                continue
            if series.incoterm and series.incoterm != listing.incoterm:
                continue
            if series.region_id and series.region_id != listing.region_id:
                continue
            price = self.rates.price(
                float(min(prices)),
                listing.currency,
                listing.unit,
                series.currency,
                series.unit,
                date.today(),
            )
            if price is None or not value:
                continue
            share = price / float(value)
            if share < self.threshold:
                return Caution(series, value, price, share)
        return None
