"""The prices section: its series (pages made from the industry file), the points
``assess_prices`` publishes, editors' assessments and the portal's conversion rates."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from portal.core.models import ListingIndexPage, PortalPage
from portal.core.models.settings import INCOTERMS, PortalSettings
from portal.core.models.shared import shared

from .method import ASSESSED, CARRIED, NOT_ASSESSED, RANKS

POSITIVE_PRICE = {"max_digits": 14, "decimal_places": 4}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PriceIndexPage(ListingIndexPage):
    """The prices section: a table of every series, the methodology, the conversion rates."""

    listing_model = "prices.PriceSeriesPage"
    category_lookup = "category"
    region_lookup = "region"
    ordering = ("path",)
    per_page = 50
    listing_nouns = ("series", "series")
    listing_related = ("category", "region")
    subpage_types = ["prices.PriceSeriesPage"]
    home_teasers = 6  # shown as a "Market prices" table (prices/home_section.html)

    caution_below = models.FloatField(
        default=0.6,
        editable=False,
        help_text="Listings priced under this share of their series' latest value show a caution.",
    )

    content_panels = [
        *ListingIndexPage.content_panels,
        InlinePanel(
            "conversion_rates",
            heading="Conversion rates",
            help_text=(
                "Dated rates for converting inputs to each series' currency and unit: "
                "1 of the first code is worth this many of the second, from this date on."
            ),
        ),
    ]

    class Meta:
        verbose_name = "prices section"

    @path("methodology/", name="methodology")
    def methodology(self, request):
        """The method of every series, written from the industry file."""
        return self.render(
            request,
            template="prices/methodology.html",
            context_overrides={"series_list": list(self.listings()), "ranks": RANKS},
        )

    def market_table(self, series: list["PriceSeriesPage"]) -> list["Latest"]:
        """Each series with its latest value and changes, in one query; kept per process
        until a page or a point changes (``assess_prices`` says so)."""
        series = list(series)
        return shared(
            self._request, ("market-table", tuple(s.pk for s in series)), lambda: latest_of(series)
        )


class ConversionRate(Orderable):
    """1 ``source`` is worth ``rate`` ``target`` from ``valid_from`` on (until a later rate)."""

    CURRENCY, UNIT = "currency", "unit"
    KINDS = [(CURRENCY, "Currency"), (UNIT, "Unit")]

    section = ParentalKey(PriceIndexPage, on_delete=models.CASCADE, related_name="conversion_rates")
    kind = models.CharField(max_length=8, choices=KINDS, default=CURRENCY)
    source = models.CharField("from", max_length=16, help_text="e.g. EUR, or kg")
    target = models.CharField("to", max_length=16, help_text="e.g. USD, or t")
    rate = models.DecimalField(
        **POSITIVE_PRICE, help_text="How many of the second code one of the first is worth."
    )
    valid_from = models.DateField(default=date.today)

    panels = [
        FieldPanel("kind"),
        FieldPanel("source"),
        FieldPanel("target"),
        FieldPanel("rate"),
        FieldPanel("valid_from"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["kind", "source", "target", "valid_from"]

    def __str__(self) -> str:
        return f"1 {self.source} = {self.rate} {self.target} from {self.valid_from}"

    def clean(self) -> None:
        self.source, self.target = self.source.strip(), self.target.strip()
        if self.kind == self.CURRENCY:
            self.source, self.target = self.source.upper(), self.target.upper()
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": "A rate must be above zero."})
        if self.source and self.source == self.target:
            raise ValidationError({"target": "Convert to another code than the one converted."})
        known = _known_codes(self.section, self.kind) if self.section_id else None
        if known is not None:
            for name in ("source", "target"):
                code = getattr(self, name)
                if code and code not in known:
                    raise ValidationError(
                        {
                            name: f"{code!r} is not one of the portal's {self.kind} codes: "
                            f"{', '.join(sorted(known))}."
                        }
                    )


def _known_codes(section: Page, kind: str) -> set[str] | None:
    site = section.get_site()
    settings = PortalSettings.for_site(site) if site else None
    if settings is None:
        return None
    if kind == ConversionRate.UNIT:
        return {unit["code"] for unit in settings.units}
    return set(settings.currencies)


class PriceSeriesPage(RoutablePageMixin, PortalPage):
    """One series: a product on a basis, in a unit and currency, assessed at a cutoff.

    Its definition comes from the industry file (``launch_portal`` keeps it in step); editors
    add assessments, the lowest-ranked inputs."""

    FREQUENCIES = [("weekly", "Weekly"), ("daily", "Daily")]

    key = models.SlugField(max_length=60, editable=False)
    description = models.TextField(blank=True, editable=False)
    category = models.ForeignKey(
        "core.Category", on_delete=models.RESTRICT, related_name="+", editable=False
    )
    specification = models.CharField(max_length=120, blank=True, editable=False)
    incoterm = models.CharField(max_length=3, choices=INCOTERMS, blank=True, editable=False)
    region = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    unit = models.CharField(max_length=16, editable=False)
    currency = models.CharField(max_length=3, editable=False)
    frequency = models.CharField(max_length=6, choices=FREQUENCIES, editable=False)
    cutoff_weekday = models.PositiveSmallIntegerField(default=4, editable=False)
    cutoff_time = models.TimeField(editable=False)
    method = models.JSONField(default=dict, editable=False)

    content_panels = [
        HelpPanel(
            content=(
                "<p>The series is defined in the portal's industry file (product, basis, unit, "
                "currency, cutoff, method) and kept in step by <code>launch_portal</code>. "
                "Here editors add their assessments: the lowest-ranked inputs, used when the "
                "board has too few quotes, offers and requests.</p>"
            )
        ),
        MultiFieldPanel(
            [InlinePanel("assessments", heading="Editors' assessments")],
            heading="Assessments",
        ),
    ]
    promote_panels: ClassVar[list] = []
    parent_page_types = ["prices.PriceIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    route_related = ("category", "region")
    showing_inputs = False  # set while a point's input log is rendered

    class Meta:
        verbose_name = "price series"
        verbose_name_plural = "price series"

    @property
    def unit_label(self) -> str:
        return f"{self.currency}/{self.unit}"

    @property
    def basis(self) -> str:
        parts = [self.incoterm, self.region.name if self.region_id else "any region"]
        return " ".join(p for p in parts if p)

    def published_points(self) -> models.QuerySet:
        """The points, oldest first, without their input logs (each is its own page)."""
        return self.points.defer("log").order_by("period_end")

    @property
    def cutoff_label(self) -> str:
        day = (
            "each working day" if self.frequency == "daily" else WEEKDAY_NAMES[self.cutoff_weekday]
        )
        return f"{day} at {self.cutoff_time:%H:%M} UTC"

    @cached_property
    def section_url(self) -> str:
        """The prices section's URL, from the series' own (without a query)."""
        return self.url.removesuffix(f"{self.slug}/")

    def download_url(self, suffix: str) -> str:
        """The series' ``.csv`` or ``.json`` download, below its section."""
        return f"{self.section_url}data/{self.slug}.{suffix}"

    @path("inputs/<str:day>/", name="inputs")
    def inputs(self, request, day: str):
        """The anonymised input log behind the point of ``day`` (YYYY-MM-DD)."""
        from django.http import Http404

        try:
            period_end = date.fromisoformat(day)
        except ValueError:
            raise Http404("No such date") from None
        point = self.points.filter(period_end=period_end).first()
        if point is None or day != period_end.isoformat():
            raise Http404("No point on that date")
        self.showing_inputs = True  # the series' chart and table are not needed
        return self.render(
            request,
            template="prices/inputs.html",
            context_overrides={"point": point, "ranks": RANKS},
        )


class PriceAssessment(Orderable):
    """An editor's view of the market on a date: a low and a high, with a note."""

    series = ParentalKey(PriceSeriesPage, on_delete=models.CASCADE, related_name="assessments")
    day = models.DateField("date", default=date.today)
    low = models.DecimalField(**POSITIVE_PRICE)
    high = models.DecimalField(**POSITIVE_PRICE)
    currency = models.CharField(
        max_length=3, blank=True, help_text="Empty for the series' own currency."
    )
    unit = models.CharField(max_length=16, blank=True, help_text="Empty for the series' own unit.")
    note = models.TextField(help_text="Where the assessment comes from (plain text).")

    panels = [
        FieldPanel("day"),
        FieldPanel("low"),
        FieldPanel("high"),
        FieldPanel("currency"),
        FieldPanel("unit"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["-day"]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = "A price must be above zero."
        if self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = f"The high ({self.high}) must not be below the low ({self.low})."
        self.currency = self.currency.strip().upper()
        self.unit = self.unit.strip()
        section = self.series.get_parent() if self.series_id or self.series.pk else None
        for name, kind in (("currency", ConversionRate.CURRENCY), ("unit", ConversionRate.UNIT)):
            code = getattr(self, name)
            known = _known_codes(section, kind) if section is not None and code else None
            if known is not None and code not in known:
                errors[name] = (
                    f"{code!r} is not one of the portal's {name} codes: {', '.join(sorted(known))}."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def midpoint(self) -> Decimal:
        return (self.low + self.high) / 2


STATUS_LABELS = {ASSESSED: "Assessed", CARRIED: "Carried forward", NOT_ASSESSED: "Not assessed"}


class PricePoint(models.Model):
    """A published value of a series at one cutoff, with what it was made of."""

    STATUSES = list(STATUS_LABELS.items())

    series = models.ForeignKey(PriceSeriesPage, on_delete=models.CASCADE, related_name="points")
    period_end = models.DateField(help_text="The day of the cutoff.")
    status = models.CharField(max_length=12, choices=STATUSES)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    low = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    high = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    inputs = models.PositiveIntegerField(default=0)
    companies = models.PositiveIntegerField(default=0)
    trimmed = models.PositiveIntegerField(default=0)
    capped = models.PositiveIntegerField(default=0, help_text="Companies the weight cap held.")
    ranks = models.CharField(max_length=16, blank=True, help_text="Ranks used: '1,3'.")
    reason = models.TextField(blank=True)
    log = models.JSONField(default=list, help_text="The anonymised inputs.")
    left_out = models.PositiveIntegerField(
        default=0, help_text="Lower-ranked inputs not needed (higher ranks were enough)."
    )
    digest = models.CharField(
        max_length=32, blank=True, editable=False, help_text="Of what the point was made of."
    )
    corrections = models.JSONField(
        default=list, help_text="Earlier values, oldest first: [{value, status, replaced_on}]."
    )
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["series", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period_end"], name="one_point_per_cutoff")
        ]

    def __str__(self) -> str:
        return f"{self.series.title} on {self.period_end}: {self.value}"

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)

    @property
    def status_label(self) -> str:
        """As ``get_status_display()``, without its cost per row of a long table."""
        return STATUS_LABELS[self.status]

    @property
    def rank_labels(self) -> list[str]:
        return [RANKS[int(r)] for r in self.ranks.split(",") if r]

    def as_row(self) -> dict[str, Any]:
        """The point as downloads give it."""
        return {
            "date": self.period_end.isoformat(),
            "value": float(self.value) if self.value is not None else None,
            "low": float(self.low) if self.low is not None else None,
            "high": float(self.high) if self.high is not None else None,
            "status": self.status,
            "inputs": self.inputs,
            "companies": self.companies,
            "trimmed": self.trimmed,
            "capped": self.capped,
            "corrected": self.corrected,
            "previous_values": [c["value"] for c in self.corrections],
        }


# What tables show of a series: its latest value and how it moved over a week, a month and a
# year, for many series at once.

SPANS = (("week", 7), ("month", 30), ("year", 365))


@dataclass(frozen=True)
class Change:
    span: str
    amount: Decimal
    percent: float

    @property
    def direction(self) -> str:
        return "up" if self.amount > 0 else "down" if self.amount < 0 else "flat"


@dataclass(frozen=True)
class Latest:
    series: PriceSeriesPage
    point: Any  # the latest point with a value (a row of ``POINT_FIELDS``), or None
    changes: dict[str, Change | None]

    @property
    def value(self) -> Decimal | None:
        return self.point.value if self.point else None


# What charts and tables read of a point: rows, not model instances (a year of daily points
# is hundreds of them).
POINT_FIELDS = (
    "series_id",
    "period_end",
    "status",
    "value",
    "low",
    "high",
    "inputs",
    "companies",
    "trimmed",
    "capped",
    "corrections",
)


def points_by_series(series: list[PriceSeriesPage]) -> dict[int, list[Any]]:
    """Every point of ``series``, oldest first, as rows (``POINT_FIELDS``), in one query."""
    found: dict[int, list[Any]] = defaultdict(list)
    rows = PricePoint.objects.filter(series__in=[s.pk for s in series]).order_by(
        "series_id", "period_end"
    )
    for row in rows.values_list(*POINT_FIELDS, named=True):
        found[row.series_id].append(row)
    return found


def latest(series: PriceSeriesPage, points: list[Any]) -> Latest:
    valued = [p for p in points if p.value is not None and p.status in (ASSESSED, CARRIED)]
    if not valued:
        return Latest(series, None, {span: None for span, _ in SPANS})
    last = valued[-1]
    return Latest(
        series,
        last,
        {
            span: _change(span, last, valued, last.period_end - timedelta(days=days))
            for span, days in SPANS
        },
    )


def latest_of(series: list[PriceSeriesPage]) -> list[Latest]:
    points = points_by_series(series)
    return [latest(s, points.get(s.pk, [])) for s in series]


def _change(span: str, last: Any, valued: list[Any], on: date) -> Change | None:
    """The change since the last value on or before ``on`` (none when the series is younger)."""
    earlier = [p for p in valued if p.period_end <= on]
    if not earlier or not earlier[-1].value:
        return None
    base = earlier[-1].value
    amount = last.value - base
    return Change(span, amount, float(amount / base * 100))
