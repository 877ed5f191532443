"""Reports for the association, in the admin's Reports menu, each downloadable as CSV or XLSX:
the verification pipeline (requests by status, their age and who handles them) and the
lapses coming up (current checks expiring soon, badges lapsed lately).

They are read by each portal's staff (its editors and moderators) and its verifiers, for
their own portals only; they show no evidence, registration numbers or staff notes.
"""

from datetime import date, timedelta

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.models import ModelLogEntry, Site

from portal.core.admin_reports import (
    SiteFilterSet,
    SiteRowsReport,
    site_name,
    visible_sites,
)
from portal.directory import dates
from portal.directory.models import RequestStatus, VerificationCheck, VerificationRequest

from .access import verified_site_ids

LAPSE_WINDOWS = (30, 60, 90)  # days ahead the lapses report looks, the first by default
LAPSED_WITHIN = 30  # days back it shows lapsed badges
EXPIRING, LAPSED = "expiring", "lapsed"


def report_sites(user) -> list[Site]:
    """The portals whose verification reports ``user`` reads: those they are staff of
    (editors, moderators) and those they verify; every portal for a superuser."""
    sites = visible_sites(user)
    verified = verified_site_ids(user)
    if verified:
        taken = [site.pk for site in sites]
        more = Site.objects.select_related("root_page").filter(pk__in=verified)
        sites += list(more.exclude(pk__in=taken))
    return sorted(sites, key=lambda site: site.pk)


class VerificationReportMenuItem(MenuItem):
    """Shown to whoever reads the reports of at least one portal."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(report_sites(request.user))


class VerificationFilterSet(SiteFilterSet):
    """The portal filter, offering the portals of :func:`report_sites`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["portal"].extra["choices"] = [
            (str(site.pk), site_name(site)) for site in report_sites(self.request.user)
        ]


class VerificationReport(SiteRowsReport):
    """Refused (the admin's "no permission") to those who read no portal's reports."""

    filterset_class = VerificationFilterSet

    @cached_property
    def sites(self) -> dict[int, str]:
        return {site.pk: site_name(site) for site in report_sites(self.request.user)}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.sites:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def to_row_dict(self, item) -> dict:
        """Cells as :class:`SiteRowsReport` writes them, with those of :meth:`computed`."""
        for field, value in self.computed(item).items():
            setattr(item, field, value)
        return super().to_row_dict(item)

    def computed(self, item) -> dict[str, object]:
        """Cells worked out in Python, by field name."""
        return {}


# The pipeline --------------------------------------------------------------------------------


def requested_on(request: VerificationRequest) -> date:
    return timezone.localdate(request.created_at)


def age_in_days(request: VerificationRequest) -> int:
    """Days since the member asked."""
    return (dates.today() - requested_on(request)).days


def last_handler() -> Subquery:
    """The name of the last person who changed a request in the admin (its history)."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(VerificationRequest),
        object_id=Cast(OuterRef("pk"), CharField()),
        user__isnull=False,
    ).order_by("-timestamp", "-pk")
    return Subquery(entries.values("user__username")[:1])


class PipelineFilterSet(VerificationFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=RequestStatus.choices, empty_label="Every status"
    )

    class Meta:
        model = VerificationRequest
        fields: list[str] = []


class PipelineReport(VerificationReport):
    page_title = "Verification pipeline"
    model = VerificationRequest
    related = ("company",)
    filterset_class = PipelineFilterSet
    index_url_name = "verification_reports:pipeline"
    export_filename = "verification-pipeline"
    list_export = [
        "portal",
        "pk",
        "company",
        "get_status_display",
        "requested_on",
        "updated_at",
        "age_days",
        "handled_by",
    ]
    export_headings = {
        **SiteRowsReport.export_headings,
        "company": "Company",
        "get_status_display": "Status",
        "requested_on": "Requested on",
        "updated_at": "Last change",
        "age_days": "Age (days)",
        "handled_by": "Handled by",
    }
    columns = [
        Column("company", label="Company"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("requested_on", label="Requested on", accessor=requested_on),
        Column("updated_at", label="Last change"),
        Column("age", label="Age (days)", accessor=age_in_days),
        Column("handled_by", label="Handled by"),
    ]

    def get_rows(self) -> QuerySet:
        status_order = Case(
            *(When(status=value, then=Value(n)) for n, value in enumerate(RequestStatus.values)),
        )
        return (
            VerificationRequest.objects.select_related(*self.related)
            .annotate(handled_by=last_handler(), status_order=status_order)
            .order_by("status_order", "created_at", "pk")
        )

    def computed(self, item: VerificationRequest) -> dict[str, object]:
        return {"requested_on": requested_on(item), "age_days": age_in_days(item)}


# The lapses ---------------------------------------------------------------------------------


def days_left(check: VerificationCheck) -> int:
    """Days until the check lapses; negative: days since it lapsed."""
    return (check.expires_on - dates.today()).days


def state_of(check: VerificationCheck) -> str:
    left = days_left(check)
    if left < 0:
        return f"Lapsed {-left} day{'s' * (left != -1)} ago"
    return "Lapses today" if left == 0 else f"Lapses in {left} day{'s' * (left != 1)}"


def lapses(window: int, on: date | None = None) -> QuerySet:
    """Checks not revoked nor outlasted by a later one of the same company and scope: the
    current ones lapsing within ``window`` days, and those lapsed in the last
    ``LAPSED_WITHIN`` days (a badge that went, unless a newer check kept it)."""
    on = on or dates.today()
    outlasted = VerificationCheck.objects.filter(
        Q(expires_on__gt=OuterRef("expires_on"))
        | Q(expires_on=OuterRef("expires_on"), pk__gt=OuterRef("pk")),
        company=OuterRef("company"),
        scope=OuterRef("scope"),
        revoked_on__isnull=True,
        checked_on__lte=on,
    )
    return (
        VerificationCheck.objects.filter(
            revoked_on__isnull=True,
            checked_on__lte=on,
            expires_on__gte=on - timedelta(days=LAPSED_WITHIN),
            expires_on__lte=on + timedelta(days=window),
        )
        .exclude(Exists(outlasted))
        .annotate(
            state=Case(
                When(expires_on__lt=on, then=Value(LAPSED)),
                default=Value(EXPIRING),
                output_field=CharField(),
            )
        )
    )


def window_of(value: str | None) -> int:
    """The number of days asked for, one of ``LAPSE_WINDOWS`` (the first otherwise)."""
    return int(value) if value in {str(days) for days in LAPSE_WINDOWS} else LAPSE_WINDOWS[0]


class LapsesFilterSet(VerificationFilterSet):
    within = django_filters.ChoiceFilter(
        label="Lapsing within",
        choices=[(str(days), f"{days} days") for days in LAPSE_WINDOWS],
        empty_label=None,
        method="keep",  # read by the report's rows (``window_of``)
    )
    state = django_filters.ChoiceFilter(
        label="Show",
        choices=[(EXPIRING, "Lapsing soon"), (LAPSED, f"Lapsed in the last {LAPSED_WITHIN} days")],
        empty_label="Both",
    )

    class Meta:
        model = VerificationCheck
        fields: list[str] = []

    def keep(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


class LapsesReport(VerificationReport):
    page_title = "Verification lapses"
    model = VerificationCheck
    filterset_class = LapsesFilterSet
    index_url_name = "verification_reports:lapses"
    export_filename = "verification-lapses"
    list_export = [
        "portal",
        "pk",
        "company",
        "get_scope_display",
        "checked_by",
        "checked_on",
        "expires_on",
        "days_left",
        "lapse",
    ]
    export_headings = {
        **SiteRowsReport.export_headings,
        "company": "Company",
        "get_scope_display": "Scope",
        "checked_by": "Checked by",
        "checked_on": "Checked on",
        "expires_on": "Expires on",
        "days_left": "Days left",
        "lapse": "State",
    }
    columns = [
        Column("company", label="Company"),
        Column("scope", label="Scope", accessor="get_scope_display"),
        Column("checked_by", label="Checked by"),
        Column("expires_on", label="Expires on"),
        Column("lapse", label="State", accessor=state_of),
    ]

    def get_rows(self) -> QuerySet:
        window = window_of(self.request.GET.get("within"))
        return lapses(window).select_related("company").order_by("expires_on", "pk")

    def computed(self, item: VerificationCheck) -> dict[str, object]:
        return {"days_left": days_left(item), "lapse": state_of(item)}
