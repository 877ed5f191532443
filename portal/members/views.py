"""The member area's own pages: joining a portal and match-alert settings. The board adds its
pages (dashboard, listings, quotes) to the member area in ``portal/board/member_views.py``."""

from functools import wraps

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from wagtail.models import Site

from portal.core.context import portal_site

from .forms import AlertSettingsForm, JoinPortalForm
from .models import Membership


def member_site(request: HttpRequest) -> Site:
    """The portal serving ``request``; the member area does not exist on the hub."""
    site = portal_site(request)
    if site is None:
        raise Http404("The member area belongs to a portal.")
    return site


def member_required(view):
    """Signed in with a confirmed email, on a portal, and a member of it (else: sign in,
    confirm, or join first)."""

    @verified_email_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        member_site(request)
        membership = Membership.for_request(request)
        if membership is None:
            return redirect("members:join")
        return view(request, membership, *args, **kwargs)

    return wrapper


@verified_email_required
def join(request: HttpRequest) -> HttpResponse:
    site = member_site(request)
    if Membership.for_request(request):
        return redirect("members:dashboard")
    form = JoinPortalForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        form.join(request.user)
        messages.success(
            request, f"Welcome to {site.site_name}. Your company page is with the moderators."
        )
        return redirect("members:dashboard")
    return render(request, "members/join.html", {"form": form})


@require_POST
@member_required
def alert_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = AlertSettingsForm(request.POST, instance=membership)
    form.save()
    messages.success(
        request,
        "Match alerts are on." if membership.notify_matches else "Match alerts are off.",
    )
    return redirect("members:dashboard")
