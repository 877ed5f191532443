"""The plans admin (assignments, payments), its reports, and the plan on company pages."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.core.admin_reports import PortalReportMenuItem
from portal.core.models import PAGE_CONTEXT_HOOK

from .admin_views import PaymentViewSet, SubscriptionViewSet
from .reports import MembersByPlanReport, PaymentsReport
from .shown import plan_context

hooks.register(PAGE_CONTEXT_HOOK, plan_context)

report_urls = [
    path("members/", MembersByPlanReport.as_view(), name="members"),
    path(
        "members/results/", MembersByPlanReport.as_view(results_only=True), name="members_results"
    ),
    path("payments/", PaymentsReport.as_view(), name="payments"),
    path("payments/results/", PaymentsReport.as_view(results_only=True), name="payments_results"),
]


class PlansGroup(ViewSetGroup):
    menu_label = "Membership plans"
    menu_icon = "group"
    menu_order = 320
    items = (SubscriptionViewSet("plan_assignments"), PaymentViewSet("plan_payments"))


@hooks.register("register_admin_viewset")
def register_plans() -> PlansGroup:
    return PlansGroup()


@hooks.register("register_admin_urls")
def register_report_urls() -> list:
    return [
        path("reports/plans/", include((report_urls, "plans_reports"), namespace="plans_reports"))
    ]


@hooks.register("register_reports_menu_item")
def register_members_report() -> MenuItem:
    return PortalReportMenuItem(
        "Members by plan",
        reverse("plans_reports:members"),
        name="members-by-plan",
        icon_name="group",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_payments_report() -> MenuItem:
    return PortalReportMenuItem(
        "Payments",
        reverse("plans_reports:payments"),
        name="plan-payments",
        icon_name="doc-full",
        order=1310,
    )
