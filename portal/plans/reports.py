"""The association's reports on plans, each downloadable as CSV or XLSX: members by plan and
month, and payments recorded. Each portal's staff see their own portal's rows only."""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.models import Site

from portal.core.admin_reports import SiteFilterSet, SiteRowsReport
from portal.directory.models import CompanyPage

from .models import Payment, Plan, Subscription
from .periods import add_months

MONTHS = 12  # the report's months: this one and the eleven before


def months_to(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the ``count`` months up to ``today``'s, the newest first."""
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(count)]


class MembersByPlanFilterSet(SiteFilterSet):
    class Meta:
        model = Subscription
        fields: list[str] = []


class MembersByPlanReport(SiteRowsReport):
    """For each portal, plan and month: how many companies were on the plan that month (the
    free plan: the portal's live companies on no paid plan then)."""

    page_title = "Members by plan"
    model = Subscription
    filterset_class = MembersByPlanFilterSet
    index_url_name = "plans_reports:members"
    export_filename = "members-by-plan"
    list_export = ["portal", "month", "plan", "companies"]
    export_headings = {
        **SiteRowsReport.export_headings,
        "month": "Month",
        "plan": "Plan",
        "companies": "Companies",
    }
    columns = [
        Column("portal", label="Portal"),
        Column("month", label="Month"),
        Column("plan", label="Plan"),
        Column("companies", label="Companies"),
    ]

    def get_filtered_queryset(self) -> list[dict]:
        subscriptions = self.filter_queryset(self.get_queryset())
        site_ids = sorted({*subscriptions.values_list("site_id", flat=True), *self._chosen()})
        return members_by_plan(subscriptions, site_ids, self.sites, timezone.localdate())

    def _chosen(self) -> list[int]:
        """The portals asked for (all the user's without a choice), even with no assignment."""
        chosen = self.request.GET.get("portal", "")
        if chosen.isdigit() and int(chosen) in self.sites:
            return [int(chosen)]
        return list(self.sites)


def members_by_plan(
    subscriptions: QuerySet, site_ids: list[int], names: dict[int, str], today: date
) -> list[dict]:
    """The report's rows: portal, month, plan, companies."""
    held = list(
        subscriptions.values_list("site_id", "plan_id", "company_id", "starts_on", "ends_on")
    )
    plans = Plan.objects.filter(site_id__in=site_ids).order_by("site_id", "position", "pk")
    live = {
        site.pk: CompanyPage.objects.live().descendant_of(site.root_page).count()
        for site in Site.objects.filter(pk__in=site_ids).select_related("root_page")
    }
    rows = []
    for month in months_to(today):
        end = add_months(month, 1)
        on_plan: dict[tuple[int, int], set[int]] = defaultdict(set)
        for site_id, plan_id, company_id, starts, ends in held:
            if starts < end and ends >= month:
                on_plan[(site_id, plan_id)].add(company_id)
        for plan in plans:
            if plan.is_free:
                paid = set().union(
                    *(ids for (site, _), ids in on_plan.items() if site == plan.site_id)
                )
                count = max(live.get(plan.site_id, 0) - len(paid), 0)
            else:
                count = len(on_plan.get((plan.site_id, plan.pk), ()))
            rows.append(
                {
                    "site_id": plan.site_id,
                    "portal": names.get(plan.site_id, ""),
                    "month": month.strftime("%Y-%m"),
                    "plan": plan.name,
                    "companies": count,
                }
            )
    return rows


class PaymentFilterSet(SiteFilterSet):
    class Meta:
        model = Payment
        fields = ["status", "provider"]


class PaymentsReport(SiteRowsReport):
    page_title = "Payments"
    model = Payment
    related = ("company", "subscription__plan", "recorded_by")
    ordering = ("-recorded_on", "-pk")
    filterset_class = PaymentFilterSet
    index_url_name = "plans_reports:payments"
    export_filename = "payments"
    list_export = [
        "portal",
        "recorded_on",
        "company",
        "subscription.plan",
        "provider",
        "reference",
        "amount",
        "currency",
        "status",
        "recorded_by",
    ]
    export_headings = {
        **SiteRowsReport.export_headings,
        "recorded_on": "Received on",
        "subscription.plan": "Plan",
        "recorded_by": "Recorded by",
    }
    columns = [
        Column("recorded_on", label="Received on"),
        Column("company", label="Company"),
        Column("plan", label="Plan", accessor="subscription.plan"),
        Column("reference", label="Reference"),
        Column("amount", label="Amount"),
        Column("currency", label="Currency"),
        Column("status", label="Status", accessor="get_status_display"),
    ]
