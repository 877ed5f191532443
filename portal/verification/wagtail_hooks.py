"""The verification admin (checks, requests), its reports, and the rule that evidence is never
served by Wagtail's public document URLs: only by the scoped views (``admin_views``,
``member_views``)."""

from django.http import Http404
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.core.admin_reports import (
    register_report_menu_item,
    register_report_urls,
    report_paths,
)

from .admin_views import CheckViewSet, RequestViewSet
from .evidence import evidence_collection_ids
from .reports import LapsesReport, PipelineReport, VerificationReportMenuItem

report_urls = [
    *report_paths(PipelineReport, "pipeline", "pipeline/"),
    *report_paths(LapsesReport, "lapses", "lapses/"),
]


class VerificationGroup(ViewSetGroup):
    menu_label = "Verification"
    menu_icon = "tick"
    menu_order = 310
    items = (CheckViewSet("verificationchecks"), RequestViewSet("verificationrequests"))


@hooks.register("register_admin_viewset")
def register_verification() -> VerificationGroup:
    return VerificationGroup()


@hooks.register("before_serve_document")
def never_serve_evidence(document, request) -> None:
    if document.collection_id in evidence_collection_ids():
        raise Http404("No such document.")


register_report_urls("reports/verification/", "verification_reports", report_urls)

register_report_menu_item(
    "Verification pipeline",
    "verification_reports:pipeline",
    name="verification-pipeline",
    icon_name="tick",
    order=1200,
    item_class=VerificationReportMenuItem,
)
register_report_menu_item(
    "Verification lapses",
    "verification_reports:lapses",
    name="verification-lapses",
    icon_name="time",
    order=1210,
    item_class=VerificationReportMenuItem,
)
