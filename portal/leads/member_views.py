"""The member area's inbox: the company's inquiries and enquiries, their statuses and
private notes, replies through the portal, and a CSV export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.defences.limits import rate_limited
from portal.members.leads import LeadStatus
from portal.members.models import Membership
from portal.members.views import member_required

from . import actions
from .export import leads_csv
from .forms import LeadStateForm, ReplyForm
from .inbox import lead_of, leads_of

PER_PAGE = 50


@require_GET
@member_required
def inbox(request: HttpRequest, membership: Membership) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in LeadStatus.values else ""
    leads = leads_of(membership, status)
    page = Paginator(leads, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/inbox.html",
        {"page_obj": page, "status": status, "statuses": LeadStatus.choices},
    )


@require_GET
@member_required
def export(request: HttpRequest, membership: Membership) -> HttpResponse:
    response = HttpResponse(
        leads_csv(leads_of(membership, request.GET.get("status", ""))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="inquiries.csv"'
    return response


@member_required
def lead(request: HttpRequest, membership: Membership, kind: str, pk: int) -> HttpResponse:
    """One lead; a POST saves its status and notes (notes left out: kept as they are)."""
    found = lead_of(membership, kind, pk)
    form = LeadStateForm(initial={"status": found.row.status, "notes": found.row.notes})
    if request.method == "POST":
        data = request.POST.copy()
        data.setdefault("notes", found.row.notes)
        form = LeadStateForm(data)
        if form.is_valid():
            actions.update(found, form.cleaned_data["status"], form.cleaned_data["notes"])
            messages.success(request, "Saved.")
            return redirect("members:inquiries" if data.get("next") == "inbox" else request.path)
        messages.error(request, "Please correct the marked fields.")
    return render(
        request,
        "leads/lead.html",
        {"lead": found, "form": form, "reply_form": ReplyForm()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@member_required
@rate_limited("reply")
def reply(request: HttpRequest, membership: Membership, kind: str, pk: int) -> HttpResponse:
    """Send a reply by email through the portal; the member's address is its Reply-To."""
    found = lead_of(membership, kind, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        if actions.reply(found, membership, form.cleaned_data["message"]):
            messages.success(request, f"Your reply is on its way to {found.row.name}.")
            return redirect(f"members:{kind}", pk)
        messages.error(request, "Your reply could not be sent. Please try again in a moment.")
    state = LeadStateForm(initial={"status": found.row.status, "notes": found.row.notes})
    return render(
        request, "leads/lead.html", {"lead": found, "form": state, "reply_form": form}, status=400
    )
