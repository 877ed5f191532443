"""The forms of alerts: how often, which regions to leave out, a price alert's threshold; the
public form adds an email address and the defences of every public form."""

from decimal import Decimal

from django import forms
from wagtail.models import Site

from portal.core.models import Region
from portal.defences.forms import HumanCheckMixin, PlainTextMixin

from .models import DAILY, DIRECTIONS, FREQUENCIES, Alert

TARGET_FIELDS = ("url", "company", "category", "series")


class AlertChoicesForm(forms.Form):
    """What the owner of an alert chooses, for a new alert or an existing one."""

    frequency = forms.ChoiceField(
        label="Email me", choices=FREQUENCIES, initial=DAILY, required=False
    )
    excluded_regions = forms.TypedMultipleChoiceField(
        label="Leave out these regions",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    direction = forms.ChoiceField(label="When the price", choices=DIRECTIONS, required=False)
    threshold = forms.DecimalField(
        label="Value", max_digits=14, decimal_places=2, min_value=Decimal("0.01"), required=False
    )

    def __init__(self, *args, site: Site, price: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.price = price
        if price:
            del self.fields["excluded_regions"], self.fields["frequency"]
        else:
            del self.fields["direction"], self.fields["threshold"]
            regions = Region.objects.filter(site=site, is_active=True)
            self.fields["excluded_regions"].choices = [(r.pk, r.name) for r in regions]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.price:
            if not cleaned.get("direction"):
                self.add_error("direction", "Choose when to be told.")
            if cleaned.get("threshold") is None:
                self.add_error("threshold", "Give the value (or the % for a change).")
        return cleaned

    def apply(self, alert: Alert) -> Alert:
        """Copy the choices onto ``alert`` (not saved)."""
        data = self.cleaned_data
        if self.price:
            alert.direction, alert.threshold = data["direction"], data["threshold"]
        else:
            alert.frequency = data.get("frequency") or DAILY
            alert.excluded_regions = sorted(data.get("excluded_regions") or [])
        return alert

    @classmethod
    def for_alert(cls, alert: Alert, data=None) -> "AlertChoicesForm":
        initial = {
            "frequency": alert.frequency,
            "excluded_regions": alert.excluded_regions,
            "direction": alert.direction,
            "threshold": alert.threshold,
        }
        return cls(data, initial=initial, site=alert.site, price=alert.kind == Alert.PRICE)


class TargetFieldsMixin(forms.Form):
    """What the alert is for, carried from the page it was asked for on (see targets.py)."""

    url = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    company = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    category = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    series = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class MemberAlertForm(TargetFieldsMixin, AlertChoicesForm):
    """A member saving an alert to their account (signed in: no email, no bot checks)."""


class SubscribeForm(HumanCheckMixin, PlainTextMixin, TargetFieldsMixin, AlertChoicesForm):
    """An alert by email alone, confirmed by a link sent to the address."""

    token_form = "alert"
    not_text_fields = ("website", "started", "url")
    email = forms.EmailField(label="Your email", max_length=254)
    bot_message = "Your alert could not be saved. Please try again in a moment."
