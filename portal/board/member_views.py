"""The board's part of the member area: the dashboard, posting, editing, renewing and closing
listings, and accepting quotes. Served under ``/members/`` with the members' own pages."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.core.context import portal_for_request
from portal.defences.limits import rate_limited
from portal.members.forms import AlertSettingsForm
from portal.members.models import Membership
from portal.members.tools import member_tools
from portal.members.views import member_required, member_site
from portal.plans import quotas

from . import lifecycle
from .forms import LISTING_FORMS
from .lifecycle import own_listings
from .models import BuyRequestPage, Inquiry, Quote, TradeListingPage
from .quoting import accept


def own_listing(membership: Membership, pk: int) -> TradeListingPage:
    """One of the member's listings (``lifecycle.own_listings``), specific; else a 404."""
    listing = get_object_or_404(own_listings(membership), pk=pk)
    return listing.specific


@member_required
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    listings = list(
        own_listings(membership)
        .select_related("category__parent", "region")  # str(category) names its parent
        .annotate(inquiry_count=Count("inquiries", distinct=True))
        .order_by("-latest_revision_created_at", "-pk")
    )
    status = lifecycle.statuses(listings)
    rows = [(listing, status[listing.pk]) for listing in listings]
    quotes_received = (
        Quote.objects.filter(membership.owns("request__"), request__in=listings_ids(listings))
        .filter(Quote.counted())
        .select_related("request", "membership__company")
    )
    context = {
        "membership": membership,
        "rows": rows,
        "counts": _count_by_status(rows),
        "inquiries": Inquiry.objects.filter(listing__in=listings_ids(listings)).select_related(
            "listing"
        )[:50],
        "quotes_received": quotes_received,
        "quotes_sent": membership.quotes.select_related("request"),
        "alerts_form": AlertSettingsForm(instance=membership),
        "tools": member_tools(portal_for_request(request)),
    }
    return render(request, "members/dashboard.html", context)


def listings_ids(listings: list) -> list[int]:
    return [listing.pk for listing in listings]


def _count_by_status(rows) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, status in rows:
        counts[status.code] = counts.get(status.code, 0) + 1
    return counts


@member_required
@rate_limited("listing")
def post_listing(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    if kind not in LISTING_FORMS:
        raise Http404("No such kind of listing.")
    board = lifecycle.board_of(member_site(request))
    portal = portal_for_request(request).settings
    form_class = LISTING_FORMS[kind]
    form = form_class(request.POST or None, portal=portal)
    if request.method == "POST" and form.is_valid():
        page = form.instance
        page.kind = kind
        if lifecycle.is_duplicate(membership, page):
            form.add_error(
                None,
                "You already posted this listing. Renew or edit it from your dashboard instead.",
            )
        else:
            try:
                lifecycle.submit_listing(page, board, membership)
            except quotas.QuotaExceeded as exceeded:
                form.add_error(None, exceeded.message)  # nothing saved, nothing typed lost
            else:
                messages.success(
                    request,
                    f"Thank you. “{page.title}” is with the moderators;"
                    " we will email you when it is live.",
                )
                return redirect("members:dashboard")
    return render(
        request,
        "members/listing_form.html",
        {"form": form, "kind": kind, "model": form_class._meta.model, "board": board},
    )


@member_required
@rate_limited("listing")
def edit_listing(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    listing = own_listing(membership, pk)
    status = lifecycle.statuses([listing])[listing.pk]
    if not status.can_edit:
        messages.error(request, "Only listings awaiting moderation or rejected can be edited.")
        return redirect("members:dashboard")
    draft = listing.get_latest_revision_as_object()
    portal = portal_for_request(request).settings
    form = LISTING_FORMS[listing.kind](request.POST or None, instance=draft, portal=portal)
    if request.method == "POST" and form.is_valid():
        lifecycle.resubmit_listing(form.instance, request.user)
        messages.success(request, f"“{form.instance.title}” was sent to the moderators again.")
        return redirect("members:dashboard")
    return render(
        request,
        "members/listing_form.html",
        {
            "form": form,
            "kind": listing.kind,
            "model": type(listing),
            "listing": listing,
            "status": status,
        },
    )


@require_POST
@member_required
def renew_listing(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    listing = own_listing(membership, pk)
    if not lifecycle.statuses([listing])[listing.pk].can_renew:
        messages.error(request, "This listing cannot be renewed.")
    else:
        try:
            until = lifecycle.renew(listing, request.user)
        except quotas.QuotaExceeded as exceeded:
            messages.error(request, exceeded.message)
        else:
            messages.success(request, f"“{listing.title}” is live until {until:%-d %B %Y}.")
    return redirect("members:dashboard")


@require_POST
@member_required
def close_listing(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    listing = own_listing(membership, pk)
    reason = request.POST.get("reason")
    if reason not in ("closed", "fulfilled"):
        messages.error(request, "Choose whether to close the listing or mark it fulfilled.")
    elif not lifecycle.statuses([listing])[listing.pk].can_close:
        messages.error(request, "This listing is already closed.")
    else:
        lifecycle.close(listing, request.user, reason)
        messages.success(request, f"“{listing.title}” is {reason}.")
    return redirect("members:dashboard")


@require_POST
@member_required
def accept_quote(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    with transaction.atomic():
        quote = get_object_or_404(
            Quote.objects.select_related("request"),
            membership.owns("request__"),
            pk=pk,
            request__path__startswith=membership.site.root_page.path,
        )
        BuyRequestPage.objects.select_for_update().filter(pk=quote.request_id).first()
        quote.refresh_from_db()
        if (
            quote.status != Quote.SUBMITTED
            or quote.request.quotes.filter(status=Quote.ACCEPTED).exists()
        ):
            messages.error(request, "A quote on this request has already been accepted.")
        else:
            accept(quote)
            messages.success(request, "Quote accepted; the supplier has been told by email.")
    return redirect("members:dashboard")
