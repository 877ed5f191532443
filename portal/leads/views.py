"""Enquiries from franchise and investment pages, with the defences of the board's inquiry
form: honeypot, fill time, plain text, rate limit, duplicate key, CSRF, posts from static
copies."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from portal.core import changes
from portal.core.context import portal_for_request, portal_site
from portal.defences.forms import duplicate_key
from portal.defences.limits import rate_limited
from portal.defences.origins import accepts_static_sites, wants_json

from .forms import EnquiryForm
from .models import Enquiry
from .pages import enquiry_page, is_closed
from .relay import relay

DUPLICATE_HOURS = 24
CLOSED = "The deadline of this opportunity has passed; it takes no more enquiries."
SENT = "Your enquiry is on its way. The company will reply to your email."
ALREADY_SENT = "You already sent this message; the company has it."


def outcome(request: HttpRequest, page: Page, level: int, text: str) -> HttpResponse:
    """Say how it went: in place for a static page's script, else back on the page."""
    if wants_json(request):
        return JsonResponse({"ok": level < messages.WARNING, "message": text})
    messages.add_message(request, level, text)
    return redirect(page.get_url(request) + "#enquiry")


def closed_response(request: HttpRequest, page: Page) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": False, "message": CLOSED}, status=410)
    html = render_to_string("leads/closed.html", {"closed_page": page, "reason": CLOSED}, request)
    return HttpResponse(html, status=410)


def invalid_response(request: HttpRequest, page: Page, form: EnquiryForm) -> HttpResponse:
    """The page again with the bound form and its errors (nothing typed is lost)."""
    if wants_json(request):
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return JsonResponse({"ok": False, "message": " ".join(errors)}, status=400)
    context = {**page.get_context(request), "enquiry_form": form}
    return TemplateResponse(request, page.get_template(request), context, status=400)


@accepts_static_sites
@require_POST
@rate_limited("enquiry")
def send_enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    page = enquiry_page(request, pk)
    if is_closed(page):
        return closed_response(request, page)
    site = portal_site(request)
    form = EnquiryForm(request.POST, portal=portal_for_request(request).settings)
    if not form.is_valid():
        return invalid_response(request, page, form)
    enquiry = form.save(commit=False)
    enquiry.page, enquiry.site, enquiry.company_id = page, site, page.company_id
    since = timezone.now() - timezone.timedelta(hours=DUPLICATE_HOURS)
    digest = duplicate_key(page.pk, enquiry.email, enquiry.message)
    if Enquiry.objects.filter(digest=digest, created_at__gte=since).exists():
        return outcome(request, page, messages.INFO, ALREADY_SENT)
    enquiry.save()
    if enquiry.company_id:
        changes.note(site.pk)  # its company's response figures count it
    relay(enquiry)
    return outcome(request, page, messages.SUCCESS, SENT)


@require_GET
def form_token(request: HttpRequest) -> JsonResponse:
    """Fresh tokens for the enquiry form of a page built for everyone (see live-forms.js)."""
    response = JsonResponse({"started": EnquiryForm.start_token(), "csrf": get_token(request)})
    patch_cache_control(response, private=True, no_store=True)
    return response
