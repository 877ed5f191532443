"""The verification admin (checks, requests), its reports, and the rule that evidence is never
served by Wagtail's public document URLs: only by the scoped views (``admin_views``,
``member_views``)."""

from django.http import Http404
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin_views import CheckViewSet, RequestViewSet
from .evidence import evidence_collection_ids
from .reports import LapsesReport, PipelineReport, VerificationReportMenuItem

report_urls = [
    path("pipeline/", PipelineReport.as_view(), name="pipeline"),
    path("pipeline/results/", PipelineReport.as_view(results_only=True), name="pipeline_results"),
    path("lapses/", LapsesReport.as_view(), name="lapses"),
    path("lapses/results/", LapsesReport.as_view(results_only=True), name="lapses_results"),
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


@hooks.register("register_admin_urls")
def register_report_urls() -> list:
    return [
        path(
            "reports/verification/",
            include((report_urls, "verification_reports"), namespace="verification_reports"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_pipeline_report() -> MenuItem:
    return VerificationReportMenuItem(
        "Verification pipeline",
        reverse("verification_reports:pipeline"),
        name="verification-pipeline",
        icon_name="tick",
        order=1200,
    )


@hooks.register("register_reports_menu_item")
def register_lapses_report() -> MenuItem:
    return VerificationReportMenuItem(
        "Verification lapses",
        reverse("verification_reports:lapses"),
        name="verification-lapses",
        icon_name="time",
        order=1210,
    )
