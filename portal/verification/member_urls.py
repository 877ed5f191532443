"""The verification pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import member_views

urlpatterns = [
    path("verification/", member_views.verification, name="verification"),
    path(
        "verification/evidence/<id:document_id>/",
        member_views.evidence,
        name="verification_evidence",
    ),
]
