"""The member area's API tokens page: create a token (shown once), revoke one."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.defences.forms import PlainTextMixin
from portal.members.models import Membership
from portal.members.views import member_required

from . import tokens
from .models import ApiToken

MAX_ACTIVE = 10


class TokenForm(PlainTextMixin, forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. 'ERP sync'.")


@member_required
def api_tokens(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    active = ApiToken.objects.active().filter(membership=membership)
    if request.method == "POST" and form.is_valid():
        if active.count() >= MAX_ACTIVE:
            form.add_error(None, f"You have {MAX_ACTIVE} tokens; revoke one first.")
        else:
            _, created = tokens.create_token(membership, form.cleaned_data["name"])
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": list(active), "created": created, "membership": membership},
    )
    response["Cache-Control"] = "private, no-store"  # the new token is in it
    return response


@require_POST
@member_required
def revoke_token(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    if tokens.revoke(membership, pk):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        messages.error(request, "No such token.")
    return redirect("members:api_tokens")
