"""Responses to a listing from its page: inquiries from anyone, quotes from members."""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from portal.core.context import portal_for_request, portal_site
from portal.defences.forms import duplicate_key
from portal.defences.limits import rate_limited
from portal.defences.origins import accepts_static_sites, wants_json
from portal.members.models import Membership
from portal.plans.quotas import QuotaExceeded

from . import quoting
from .forms import InquiryForm, QuoteForm
from .gone import gone_response
from .models import BuyRequestPage, Inquiry, TradeListingPage
from .relay import relay

INQUIRY_DUPLICATE_HOURS = 24


def open_listing(request: HttpRequest, pk: int, model=TradeListingPage) -> TradeListingPage:
    """A live, open listing of the portal serving ``request``; 404 for anything else."""
    site = portal_site(request)
    listing = get_object_or_404(model.objects.live().public(), pk=pk).specific
    if site is None or not listing.path.startswith(site.root_page.path):
        raise Http404("No such listing on this portal.")
    return listing


def rerender(request: HttpRequest, listing: TradeListingPage, **forms) -> HttpResponse:
    """The listing page again, with a bound form and its errors (nothing typed is lost)."""
    context = {**listing.get_context(request), **forms}
    return TemplateResponse(request, listing.get_template(request), context)


def outcome(
    request: HttpRequest, listing: TradeListingPage, level: int, text: str, anchor: str
) -> HttpResponse:
    """Say how it went: in place for a static page's script, else back on the listing."""
    if wants_json(request):
        return JsonResponse({"ok": level < messages.WARNING, "message": text})
    messages.add_message(request, level, text)
    return redirect(listing.get_url(request) + anchor)


@accepts_static_sites
@require_POST
@rate_limited("inquiry")
def send_inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    listing = open_listing(request, pk)
    if not listing.is_open:
        if wants_json(request):
            return JsonResponse({"ok": False, "message": listing.gone_reason()}, status=410)
        return gone_response(request, listing)
    form = InquiryForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            return JsonResponse({"ok": False, "message": " ".join(errors)}, status=400)
        return rerender(request, listing, inquiry_form=form)
    inquiry = form.save(commit=False)
    inquiry.listing, inquiry.site = listing, portal_site(request)
    since = timezone.now() - timezone.timedelta(hours=INQUIRY_DUPLICATE_HOURS)
    digest = duplicate_key(listing.pk, inquiry.email, inquiry.message)
    if Inquiry.objects.filter(digest=digest, created_at__gte=since).exists():
        return outcome(
            request,
            listing,
            messages.INFO,
            "You already sent this message; the lister has it.",
            "#inquiry",
        )
    inquiry.save()
    relay(inquiry)
    return outcome(
        request,
        listing,
        messages.SUCCESS,
        "Your inquiry is on its way. The lister will reply to your email.",
        "#inquiry",
    )


@require_GET
def form_token(request: HttpRequest) -> JsonResponse:
    """Fresh tokens for the inquiry form of a page built for everyone (a static copy, or a
    cached page), fetched when the form is used: its start token and, for the live site's
    own pages, a CSRF token (with its cookie)."""
    response = JsonResponse({"started": InquiryForm.start_token(), "csrf": get_token(request)})
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@verified_email_required
@rate_limited("quote")
def send_quote(request: HttpRequest, pk: int) -> HttpResponse:
    listing = open_listing(request, pk, BuyRequestPage)
    membership = Membership.for_request(request)
    if membership is None:
        return redirect("members:join")
    portal = portal_for_request(request).settings
    form = QuoteForm(request.POST, portal=portal)
    if not form.is_valid():
        return rerender(request, listing, quote_form=form)
    try:
        with transaction.atomic():
            # One request at a time: the cap and "one quote each" hold under double clicks.
            BuyRequestPage.objects.select_for_update().filter(pk=listing.pk).first()
            refusal = quoting.quote_refusal(listing, membership, portal.quote_cap)
            if refusal is None:
                quote = form.save(commit=False)
                quote.request, quote.membership = listing, membership
                quoting.submit(quote)
    except QuotaExceeded as exceeded:
        form.add_error(None, exceeded.message)
        return rerender(request, listing, quote_form=form)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, "Your quote was sent. Only the buyer can see it.")
    return redirect(listing.get_url(request) + "#quote")
