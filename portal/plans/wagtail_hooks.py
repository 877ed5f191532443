"""The plans admin (assignments, payments), its reports, and the plan on company pages."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.core.admin_reports import (
    register_report_menu_item,
    register_report_urls,
    report_paths,
)
from portal.core.models import PAGE_CONTEXT_HOOK

from .admin_views import PaymentViewSet, SubscriptionViewSet
from .reports import MembersByPlanReport, PaymentsReport
from .shown import plan_context

hooks.register(PAGE_CONTEXT_HOOK, plan_context)

report_urls = [
    *report_paths(MembersByPlanReport, "members", "members/"),
    *report_paths(PaymentsReport, "payments", "payments/"),
]


class PlansGroup(ViewSetGroup):
    menu_label = "Membership plans"
    menu_icon = "group"
    menu_order = 320
    items = (SubscriptionViewSet("plan_assignments"), PaymentViewSet("plan_payments"))


@hooks.register("register_admin_viewset")
def register_plans() -> PlansGroup:
    return PlansGroup()


register_report_urls("reports/plans/", "plans_reports", report_urls)

register_report_menu_item(
    "Members by plan",
    "plans_reports:members",
    name="members-by-plan",
    icon_name="group",
    order=1300,
)
register_report_menu_item(
    "Payments", "plans_reports:payments", name="plan-payments", icon_name="doc-full", order=1310
)
