"""The events section: trade shows, conferences and webinars, upcoming and past."""

from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage

from .dates import LONGEST_EVENT, Month, date_range, months_spanned

# Slugs the section's own paths use: an event may not take them.
RESERVED_SLUGS = frozenset({"past", "month", "region", "category", "page", "calendar"})


def today() -> date:
    """The day that decides what is upcoming and what is past (the portal's time zone)."""
    return timezone.localdate()


class EventIndexPage(ListingIndexPage):
    """Upcoming events (``./``, ``./region/<code>/``), every event of a month
    (``./month/2027-03/``) and past events (``./past/``, ``./past/region/<code>/``), each
    paginated by ``page/N/``. The calendar feed is ``./calendar.ics`` (see ``urls.py``)."""

    listing_model = "events.EventPage"
    category_lookup = None
    region_lookup = "region"
    ordering = ("start_date", "end_date", "pk")
    past_ordering: ClassVar[tuple[str, ...]] = ("-end_date", "-start_date", "-pk")
    listing_related = ("region",)
    listing_nouns = ("event", "events")
    subpage_types = ["events.EventPage"]
    home_teasers = 3

    class Meta:
        verbose_name = "events section"

    @classmethod
    def current_filter(cls) -> models.Q:
        """Upcoming: not ended yet (an event is upcoming through its last day)."""
        return models.Q(end_date__gte=today())

    def events(self) -> models.QuerySet:
        """Every live, public event of the section, past or upcoming, soonest first."""
        model = self.get_listing_model()
        return (
            model.objects.live()
            .public()
            .child_of(self)
            .select_related(*self.listing_related)
            .order_by(*self.ordering)
        )

    def past_events(self) -> models.QuerySet:
        """Events that ended, the latest first."""
        return self.events().exclude(self.current_filter()).order_by(*self.past_ordering)

    def months(self) -> list[Month]:
        """Every month in which an event of the section takes place (looked up once)."""
        cached = getattr(self, "_months", None)
        if cached is None:
            ranges = self.events().order_by().values_list("start_date", "end_date")
            cached = self._months = months_spanned(ranges)
        return cached

    def upcoming_months(self) -> list[Month]:
        this_month = Month.of(today())
        return [month for month in self.months() if month >= this_month]

    def past_months(self) -> list[Month]:
        """Months before this one, the latest first."""
        this_month = Month.of(today())
        return [month for month in reversed(self.months()) if month < this_month]

    def filter_choices(self) -> list[tuple[str | None, Any]]:
        """Upcoming events, by region; every month with events; past events, by region."""
        regions = self.regions()
        return [
            (None, None),
            *(("region", region) for region in regions),
            *(("month", month) for month in self.months()),
            ("past", None),
            *(("past-region", region) for region in regions),
        ]

    def filtered(
        self,
        kind: str | None = None,
        filter_object: Any = None,
        listings: models.QuerySet | None = None,
    ) -> models.QuerySet:
        """The events a filter lists: ``listings`` (the upcoming ones) are only read by the
        unfiltered and region filters; a month lists all its events, past ones too."""
        if kind == "month":
            return self.events().filter(
                start_date__lte=filter_object.last, end_date__gte=filter_object.first
            )
        if kind == "past":
            return self.past_events()
        if kind == "past-region":
            return self.past_events().filter(region=filter_object)
        return super().filtered(kind, filter_object, listings)

    def filter_suffix(
        self, kind: str | None = None, value: str | None = None, page: int = 1
    ) -> str:
        if kind == "past":
            return "past/" + super().filter_suffix(page=page)
        if kind == "past-region":
            return "past/" + super().filter_suffix("region", value, page)
        return super().filter_suffix(kind, value, page)

    def calendar_url(self, request: HttpRequest | None = None) -> str:
        """The iCalendar feed of the upcoming events."""
        return self.filter_url(request) + "calendar.ics"

    @path("month/<str:slug>/")
    @path("month/<str:slug>/page/<int:page>/")
    def by_month(self, request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
        month = Month.parse(slug)
        if month is None or month not in self.months():
            raise Http404("No events that month")
        listings = self.list_of(request, "month", month)
        return self.render_listing(request, page, listings, "month", month)

    @path("past/")
    @path("past/page/<int:page>/")
    def past(self, request: HttpRequest, page: int = 1) -> HttpResponse:
        return self.render_listing(request, page, self.list_of(request, "past"), "past")

    @path("past/region/<slug:code>/")
    @path("past/region/<slug:code>/page/<int:page>/")
    def past_by_region(self, request: HttpRequest, code: str, page: int = 1) -> HttpResponse:
        region = self._taxonomy()["region_by_code"].get(code)
        if region is None:
            raise Http404("No such region")
        listings = self.list_of(request, "past-region", region)
        return self.render_listing(request, page, listings, "past-region", region)


class EventPage(PortalPage):
    """A trade show, conference or webinar: where, when, who organises and who exhibits."""

    ATTENDANCE = [
        ("in-person", "In person"),
        ("online", "Online"),
        ("hybrid", "In person and online"),
    ]
    STATUSES = [
        ("scheduled", "Scheduled"),
        ("rescheduled", "Rescheduled"),
        ("postponed", "Postponed"),
        ("cancelled", "Cancelled"),
    ]

    summary = models.TextField(max_length=500, help_text="One or two sentences, for lists.")
    description = models.TextField(blank=True, help_text="Plain text; line breaks are kept.")
    start_date = models.DateField()
    end_date = models.DateField(help_text="The last day: the start date for a one-day event.")
    attendance = models.CharField(max_length=10, choices=ATTENDANCE, default="in-person")
    status = models.CharField(max_length=12, choices=STATUSES, default="scheduled")
    venue = models.CharField(max_length=255, blank=True, help_text="e.g. Messe Düsseldorf, Hall 6")
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    region = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
        help_text="Lists the event under the region's filter.",
    )
    online_url = models.URLField(
        "online link", blank=True, help_text="Where to join an online or hybrid event."
    )
    organiser = models.CharField(max_length=255)
    organiser_url = models.URLField("organiser's website", blank=True)
    website = models.URLField("event website", blank=True)
    exhibitors = ParentalManyToManyField(
        "directory.CompanyPage",
        blank=True,
        related_name="exhibiting_at",
        help_text="Companies of this portal's directory that exhibit.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("attendance"), FieldPanel("status")]),
            ],
            heading="When",
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country"), FieldPanel("region")]),
                FieldPanel("online_url"),
            ],
            heading="Where",
        ),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("organiser_url")]),
        FieldPanel("website"),
        FieldPanel("exhibitors"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("organiser"),
        index.SearchField("city"),
        index.FilterField("region"),
        index.FilterField("start_date"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []
    route_related = ("region",)

    class Meta:
        verbose_name = "event"

    @property
    def is_past(self) -> bool:
        return self.end_date < today()

    @property
    def in_person(self) -> bool:
        return self.attendance in ("in-person", "hybrid")

    @property
    def online(self) -> bool:
        return self.attendance in ("online", "hybrid")

    @property
    def dates(self) -> str:
        return date_range(self.start_date, self.end_date)

    @property
    def place(self) -> str:
        """``Venue, City, Country`` (what is known of it); ``Online`` for online events."""
        if not self.in_person:
            return "Online"
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)

    @property
    def ics_url(self) -> str:
        """The event's iCalendar file, beside its page: ``/events/<slug>.ics``."""
        return (self.get_url(request=self._request) or "").rstrip("/") + ".ics"

    def exhibitor_pages(self) -> models.QuerySet:
        """The exhibitors that are live, public pages, by name (a preview reads the form's)."""
        from portal.directory.models import CompanyPage

        ids = [company.pk for company in self.exhibitors.all()]
        return (
            CompanyPage.objects.live()
            .public()
            .filter(pk__in=ids)
            .select_related("region")
            .order_by("title")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .jsonld import event_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["exhibitors"] = list(self.exhibitor_pages())
        context["json_ld"] = event_json_ld(self, request)
        return context

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is a path of the events section; choose another."
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = "Must not be before the start date."
            elif self.end_date - self.start_date > LONGEST_EVENT:
                errors["end_date"] = "An event lasts a year at most."
        if self.in_person:
            for name in ("city", "country"):
                if not getattr(self, name):
                    errors[name] = "Say where an event that people attend in person takes place."
        if self.online and not self.online_url:
            errors["online_url"] = "Give the link where people join an online event."
        if errors:
            raise ValidationError(errors)
