"""A member's alerts in the member area: the list, saving one, changing, pausing, deleting.
Every alert is looked up among the member's own on this portal: no one else's is found."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_POST

from portal.members.models import Membership
from portal.members.views import member_required

from . import links, saving
from .forms import AlertChoicesForm, MemberAlertForm
from .models import Alert
from .rendering import render_page
from .targets import BadTarget, read_target
from .views import bad_target


def own_alerts(membership: Membership):
    return Alert.objects.current().filter(membership=membership, site=membership.site)


def own_alert(membership: Membership, pk: int) -> Alert:
    return get_object_or_404(own_alerts(membership).select_related("site"), pk=pk)


@member_required
def alert_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    alerts = list(own_alerts(membership).select_related("site", "series", "company"))
    rows = [(alert, links.feed_link(alert)) for alert in alerts]
    return render_page(request, "member_list.html", {"rows": rows, "membership": membership})


@require_POST
@member_required
def create(request: HttpRequest, membership: Membership) -> HttpResponse:
    site = membership.site
    try:
        target = read_target(site, request.POST)
    except BadTarget as error:
        return bad_target(request, error)
    form = MemberAlertForm(request.POST, site=site, price=target.series is not None)
    if not form.is_valid():
        context = {"target": target, "member_form": form}
        return render_page(request, "new.html", context, status=400)
    alert = saving.save_for_member(saving.build(site, target, form), membership)
    messages.success(request, f"Saved: “{alert.label}”.")
    return redirect("members:saved_alerts")


@require_http_methods(["GET", "POST"])
@member_required
def edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    alert = own_alert(membership, pk)
    form = AlertChoicesForm.for_alert(alert, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.apply(alert).save()
        messages.success(request, f"Saved: “{alert.label}”.")
        return redirect("members:saved_alerts")
    status = 400 if request.method == "POST" else 200
    return render_page(request, "member_edit.html", {"alert": alert, "form": form}, status)


@require_POST
@member_required
def pause(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    alert = own_alert(membership, pk)
    saving.pause(alert, request.POST.get("paused") == "1")
    messages.success(request, f"{'Paused' if alert.paused_at else 'Resumed'}: “{alert.label}”.")
    return redirect("members:saved_alerts")


@require_POST
@member_required
def delete(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    alert = own_alert(membership, pk)
    saving.unsubscribe(alert)
    messages.success(request, f"Deleted: “{alert.label}”.")
    return redirect("members:saved_alerts")
