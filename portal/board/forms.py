"""Public forms of the market board: post a listing, send an inquiry, send a quote."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from portal.core.models import PortalSettings, Region
from portal.core.page_forms import NewPageFormMixin, leaf_categories
from portal.defences.forms import HumanCheckMixin, PlainTextMixin

from .models import BuyRequestPage, Inquiry, Quote, SellOfferPage, TradeListingPage

LISTING_FIELDS = [
    "title",
    "category",
    "region",
    "description",
    "quantity",
    "unit",
    "price_min",
    "price_max",
    "currency",
    "incoterm",
    "valid_until",
]


class ListingForm(HumanCheckMixin, PlainTextMixin, NewPageFormMixin, forms.ModelForm):
    """A sell offer or buy request as a member types it; choices come from one portal."""

    token_form = "listing"

    class Meta:
        fields = LISTING_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"title": "Headline"}
        help_texts = {
            "title": "What you offer or need, e.g. 'HRB500 rebar, 12 mm, 2,000 t'.",
            "valid_until": "Leave empty for the portal's default validity.",
        }

    def __init__(self, *args: Any, portal: PortalSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.portal = portal
        site = portal.site
        self.fields["category"].queryset = leaf_categories(site)
        self.fields["region"].queryset = Region.objects.filter(site=site, is_active=True)
        self.fields["region"].label = self._meta.model.region_label
        self.fields["unit"] = forms.ChoiceField(choices=portal.unit_choices())
        self.fields["currency"] = forms.ChoiceField(
            choices=[("", "—"), *portal.currency_choices()], required=False
        )
        self.fields["valid_until"].required = False
        self.max_days = getattr(portal, self._meta.model.expiry_setting)

    def clean_valid_until(self) -> date | None:
        value = self.cleaned_data.get("valid_until")
        if value is None:
            return None
        if value < date.today():
            raise ValidationError("Choose a date from today on.")
        if value > date.today() + timedelta(days=self.max_days):
            raise ValidationError(f"Listings on this portal run for at most {self.max_days} days.")
        return value

    def page_errors(self) -> dict[str, str]:
        return self.instance.listing_errors()


class SellOfferForm(ListingForm):
    class Meta(ListingForm.Meta):
        model = SellOfferPage
        fields = [*LISTING_FIELDS, "moq", "specification"]


class BuyRequestForm(ListingForm):
    class Meta(ListingForm.Meta):
        model = BuyRequestPage
        fields = [*LISTING_FIELDS, "required_by"]
        widgets = {
            **ListingForm.Meta.widgets,
            "required_by": forms.DateInput(attrs={"type": "date"}),
        }


LISTING_FORMS: dict[str, type[ListingForm]] = {
    TradeListingPage.KIND_SELL: SellOfferForm,
    TradeListingPage.KIND_BUY: BuyRequestForm,
}


class InquiryForm(HumanCheckMixin, PlainTextMixin, forms.ModelForm):
    token_form = "inquiry"

    class Meta:
        model = Inquiry
        fields = ["name", "email", "company", "quantity", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        labels = {"email": "Your email", "name": "Your name", "quantity": "Quantity"}
        help_texts = {"email": "Only the lister sees it, in the email we forward to them."}


class QuoteForm(HumanCheckMixin, PlainTextMixin, forms.ModelForm):
    prefix = "quote"  # shown on the same page as the inquiry form
    token_form = "quote"

    class Meta:
        model = Quote
        fields = ["price", "currency", "quantity", "lead_time_days", "incoterm", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, portal: PortalSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"] = forms.ChoiceField(choices=portal.currency_choices())
