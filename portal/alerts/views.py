"""The public side of alerts: asking for one (by email alone, confirmed by a link), the signed
pages of an alert without an account (manage, unsubscribe), and its private feed."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from portal.core.context import portal_site
from portal.defences.limits import rate_limited
from portal.defences.origins import accepts_static_sites, wants_json
from portal.members.models import Membership

from . import links, saving
from .forms import AlertChoicesForm, MemberAlertForm, SubscribeForm
from .models import Alert
from .rendering import render_page
from .targets import BadTarget, Target, read_target

CONFIRM_SENT = "Check your inbox: we sent a link to confirm the alert. Nothing is sent before."
TOO_MANY = "This address has as many alerts on this portal as it may have."


def alert_site(request: HttpRequest) -> Site:
    site = portal_site(request)
    if site is None:
        raise Http404("Alerts belong to a portal.")
    return site


def bad_target(request: HttpRequest, error: BadTarget) -> HttpResponse:
    """400, naming the parameter that could not be read."""
    if wants_json(request):
        return JsonResponse({"ok": False, "param": error.param, "message": str(error)}, status=400)
    return render_page(request, "bad_target.html", {"error": error}, status=400)


def target_forms(request: HttpRequest, site: Site, target: Target) -> dict:
    """The form a visitor fills for ``target``: a member's, or the one by email."""
    price = target.series is not None
    initial = {name: request.GET.get(name, "") for name in ("url", "company", "category", "series")}
    if Membership.for_request(request) is not None:
        return {"member_form": MemberAlertForm(initial=initial, site=site, price=price)}
    return {"form": SubscribeForm(initial=initial, site=site, price=price)}


@require_GET
def new_alert(request: HttpRequest) -> HttpResponse:
    """What the "Alert me" control of a page leads to: the alert it would save, and the
    form to save it (a member's, or by email)."""
    site = alert_site(request)
    try:
        target = read_target(site, request.GET)
    except BadTarget as error:
        return bad_target(request, error)
    context = {"target": target, **target_forms(request, site, target)}
    return render_page(request, "new.html", context)


def _outcome(request: HttpRequest, ok: bool, text: str, status: int = 200) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": ok, "message": text}, status=status)
    return render_page(request, "outcome.html", {"ok": ok, "text": text}, status=status)


def only_start_missing(form: SubscribeForm) -> bool:
    """The one error is the start token: a cached or static page carries none without script."""
    return list(form.errors) == [NON_FIELD_ERRORS] and form.has_error(NON_FIELD_ERRORS, "stale")


@accepts_static_sites
@require_POST
@rate_limited("alert")
def subscribe(request: HttpRequest) -> HttpResponse:
    """An alert by email alone, from a page's control or the form of ``new_alert``."""
    site = alert_site(request)
    try:
        target = read_target(site, request.POST)
    except BadTarget as error:
        return bad_target(request, error)
    price = target.series is not None
    form = SubscribeForm(request.POST, site=site, price=price)
    if not form.is_valid():
        if wants_json(request):
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            return JsonResponse({"ok": False, "message": " ".join(errors)}, status=400)
        if only_start_missing(form):  # a page built for everyone, posted without script
            form = SubscribeForm(initial=request.POST.dict(), site=site, price=price)
            messages.info(request, "Please check your alert and confirm it.")
        return render_page(request, "new.html", {"target": target, "form": form}, status=400)
    alert = saving.build(site, target, form)
    if saving.save_for_email(alert, form.cleaned_data["email"]) is None:
        return _outcome(request, False, TOO_MANY, status=400)
    return _outcome(request, True, CONFIRM_SENT)


@require_GET
def form_token(request: HttpRequest) -> JsonResponse:
    """Fresh tokens for the alert form of a page built for everyone (see live-forms.js)."""
    response = JsonResponse({"started": SubscribeForm.start_token(), "csrf": get_token(request)})
    patch_cache_control(response, private=True, no_store=True)
    return response


def signed_alert(token: str, purpose: str) -> Alert:
    alert = links.alert_for(token, purpose)
    if alert is None or (alert.unsubscribed_at is not None and purpose != links.UNSUBSCRIBE):
        raise Http404("This link is not valid (any more).")
    return alert


@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    alert = signed_alert(token, links.CONFIRM)
    saving.confirm(alert)
    messages.success(request, f"Your alert “{alert.label}” is on.")
    return redirect("alerts:manage", links.sign(alert, links.MANAGE))


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """An alert without an account, managed from the signed link in its emails."""
    alert = signed_alert(token, links.MANAGE)
    form = AlertChoicesForm.for_alert(alert, request.POST if "save" in request.POST else None)
    if request.method == "POST":
        if "pause" in request.POST or "resume" in request.POST:
            saving.pause(alert, "pause" in request.POST)
            messages.success(request, "Alert paused." if alert.paused_at else "Alert resumed.")
        elif "unsubscribe" in request.POST:
            saving.unsubscribe(alert)
            return _outcome(request, True, "You are unsubscribed from this alert.")
        elif form.is_valid():
            form.apply(alert).save()
            messages.success(request, "Your alert is saved.")
        else:
            return render_page(request, "manage.html", {"alert": alert, "form": form}, 400)
        return redirect(request.path)
    return render_page(request, "manage.html", {"alert": alert, "form": form})


@csrf_exempt  # RFC 8058: mail clients POST here with no page and no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (a POST), or a page with a button for a browser (a GET: link
    checkers in mail systems follow links, so a GET changes nothing)."""
    alert = signed_alert(token, links.UNSUBSCRIBE)
    if request.method == "POST":
        saving.unsubscribe(alert)
        return _outcome(request, True, f"You are unsubscribed from “{alert.label}”.")
    action = reverse("alerts:unsubscribe", args=[token])
    return render_page(request, "unsubscribe.html", {"alert": alert, "action": action})
