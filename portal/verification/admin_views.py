"""The verification admin, scoped per portal: a verifier sees and changes the checks and
requests of the portals they verify, nothing of another portal's (404), and nobody deletes
a check or a request (their history is kept)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from wagtail.admin.views import generic

from portal.core.admin_viewsets import ScopedViewSet
from portal.directory.models import VerificationCheck, VerificationRequest

from .access import companies_for, verified_site_ids
from .admin_forms import CheckForm, DecisionForm, RevokeForm
from .evidence import download


def visible_checks(user) -> QuerySet:
    site_ids = verified_site_ids(user)
    checks = VerificationCheck.objects.select_related("company")
    return checks if site_ids is None else checks.filter(site_id__in=site_ids)


def visible_requests(user) -> QuerySet:
    site_ids = verified_site_ids(user)
    requests = VerificationRequest.objects.select_related("company", "site")
    return requests if site_ids is None else requests.filter(site_id__in=site_ids)


class VerificationViewSet(ScopedViewSet):
    """Nobody deletes a check or a request: their history is kept."""

    refuse: tuple[str, ...] = ("delete",)
    refused_message = "Verification records are never deleted."


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return type(self).visible(self.request.user)


class FormKwargs:
    """Tell the forms whose companies the user may name."""

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "for_user": self.request.user,
            "companies": companies_for(self.request.user),
        }


class CheckIndexView(ScopedIndexView):
    visible = staticmethod(visible_checks)


class CheckCreateView(FormKwargs, generic.CreateView):
    def save_instance(self) -> VerificationCheck:
        check = self.form.save(commit=False)
        check.recorded_by = self.request.user
        check.save()
        return check


class CheckRevokeView(FormKwargs, generic.EditView):
    def save_instance(self) -> VerificationCheck:
        check = self.form.save(commit=False)
        check.revoked_by = self.request.user
        check.save()
        return check


class CheckViewSet(VerificationViewSet):
    model = VerificationCheck
    visible = staticmethod(visible_checks)
    icon = "tick"
    menu_label = "Verification checks"
    menu_order = 310
    inspect_view_enabled = True
    index_view_class = CheckIndexView
    add_view_class = CheckCreateView
    edit_view_class = CheckRevokeView
    list_display = ["company", "scope", "checked_by", "checked_on", "expires_on", "status"]
    list_filter = ["scope", "checked_on", "expires_on", "revoked_on"]
    search_fields = ["checked_by", "registry", "registration_number", "inspector"]
    inspect_view_fields = [  # what was recorded, then who recorded and who revoked it
        *CheckForm.Meta.fields,
        "recorded_by",
        "recorded_at",
        "revoked_on",
        "revoked_reason",
        "revoked_by",
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return RevokeForm if for_update else CheckForm


class RequestIndexView(ScopedIndexView):
    visible = staticmethod(visible_requests)


class RequestInspectView(generic.InspectView):
    template_name = "verification/admin/request_inspect.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.object.evidence.all()
        context["checks"] = self.object.company.verification_checks.order_by("-checked_on")
        context["today"] = timezone.localdate()
        return context


class RequestViewSet(VerificationViewSet):
    model = VerificationRequest
    visible = staticmethod(visible_requests)
    refuse = ("delete", "add")
    icon = "doc-full"
    menu_label = "Verification requests"
    menu_order = 311
    inspect_view_enabled = True
    index_view_class = RequestIndexView
    inspect_view_class = RequestInspectView
    list_display = ["company", "status", "registry", "registration_number", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["registry", "registration_number", "message"]

    def get_form_class(self, for_update: bool = False) -> type:
        return DecisionForm

    def get_urlpatterns(self) -> list:
        evidence = path(
            "evidence/<int:pk>/<int:document_id>/", self.guard(self.evidence), name="evidence"
        )
        return [*super().get_urlpatterns(), evidence]

    def evidence(self, request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
        """An evidence file of the request ``pk`` (the guard has checked the request)."""
        if not request.user.has_perm("directory.view_verificationrequest"):
            raise PermissionDenied
        found = VerificationRequest.objects.get(pk=pk).evidence.filter(pk=document_id).first()
        if found is None:
            raise Http404("No such file.")
        return download(found)
