"""Sign-up and join forms: who the member is posting for."""

from typing import Any

from allauth.core import context as allauth_context
from django import forms
from wagtail.models import Site

from portal.core.context import portal_site
from portal.core.models import Region
from portal.defences.forms import HumanCheckMixin, PlainTextMixin

from .models import Membership


class CompanyFields(PlainTextMixin, forms.Form):
    company_name = forms.CharField(max_length=120, label="Company name")
    country = forms.CharField(max_length=100)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), empty_label=None)
    profile = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What your company does",
        help_text="Plain text, shown on your company's page once a moderator approves it.",
    )
    notify_matches = forms.BooleanField(
        required=False,
        label="Email me when a listing matching one of mine is published",
    )

    def set_site(self, site: Site | None) -> None:
        self.site = site
        self.fields["region"].queryset = Region.objects.filter(site=site, is_active=True)

    def join(self, user) -> Membership:
        from .onboarding import join_portal

        data = self.cleaned_data
        company = {
            "name": data["company_name"],
            "country": data["country"],
            "region": data["region"].pk,
            "profile": data["profile"],
        }
        return join_portal(user, self.site, company, data["notify_matches"])


class CompanySignupForm(HumanCheckMixin, CompanyFields):
    """Extra fields on allauth's sign-up form; ``signup()`` is allauth's hook after the user
    is created (email still unconfirmed)."""

    token_form = "signup"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        self.set_site(portal_site(request) if request else None)

    def signup(self, request, user) -> None:
        if self.site is not None:
            self.join(user)


class JoinPortalForm(CompanyFields):
    """For a signed-in user of another portal joining this one."""

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_site(site)


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["notify_matches"]
