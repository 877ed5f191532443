"""The verification admin (checks, requests) and the rule that evidence is never served by
Wagtail's public document URLs: only by the scoped views (``admin_views``, ``member_views``)."""

from django.http import Http404
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin_views import CheckViewSet, RequestViewSet
from .evidence import evidence_collection_ids


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
