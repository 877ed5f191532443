"""The member area's verification page: ask for verification with evidence, follow the
request's status, download one's own evidence."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail.documents import get_document_model

from portal.directory.models import VerificationRequest
from portal.members.models import Membership
from portal.members.views import member_required

from .access import verifiers_of
from .evidence import download, store
from .forms import VerificationRequestForm


def _requests(membership: Membership):
    if membership.company_id is None:
        return VerificationRequest.objects.none()
    return VerificationRequest.objects.filter(
        site=membership.site, company_id=membership.company_id
    ).prefetch_related("evidence")


@member_required
def verification(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The company's checks and requests; a POST sends a new request."""
    company = membership.company
    requests = list(_requests(membership))
    verifiers = verifiers_of(membership.site)
    can_ask = (
        company is not None
        and verifiers is not None
        and verifiers.collection_id is not None
        and not any(each.is_open for each in requests)
    )
    posted = request.method == "POST"
    form = VerificationRequestForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and not can_ask:
        messages.error(
            request, "A request is already with the verifiers, or none can be made here."
        )
        return redirect("members:verification")
    if posted and form.is_valid():
        with transaction.atomic():
            asked = form.save(commit=False)
            asked.site, asked.company, asked.requested_by = membership.site, company, request.user
            asked.save()
            asked.evidence.set(
                [
                    store(
                        upload,
                        verifiers.collection,
                        request.user,
                        f"{company.title}: {upload.name}",
                    )
                    for upload in form.cleaned_data["files"]
                ]
            )
        messages.success(
            request, "Your request is with the verifiers. You will see its status here."
        )
        return redirect("members:verification")
    if posted:
        messages.error(request, "Please correct the marked fields.")
    checks = company.verification_checks.order_by("-checked_on", "-pk") if company else []
    return render(
        request,
        "verification/member.html",
        {
            "company": company,
            "requests": requests,
            "checks": checks,
            "form": form if can_ask else None,
        },
        status=400 if posted else 200,
    )


@member_required
def evidence(request: HttpRequest, membership: Membership, document_id: int) -> HttpResponse:
    """One of the member's own evidence files; 404 for anyone else's."""
    owned = VerificationRequest.evidence.through.objects.filter(
        verificationrequest__in=_requests(membership)
    ).values("document_id")
    document = get_document_model().objects.filter(pk=document_id, pk__in=owned).first()
    if document is None:
        raise Http404("No such file.")
    return download(document)
