"""Public forms of the market board: post a listing, send an inquiry, send a quote."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from portal.core.models import Category, PortalSettings, Region
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


class ListingForm(HumanCheckMixin, PlainTextMixin, forms.ModelForm):
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
        category = self.fields["category"]
        category.queryset = (
            Category.objects.for_site(site)
            .active()
            .select_related("parent")
            .order_by("parent__sort_order", "parent__name", "sort_order", "name")
        )
        category.queryset = category.queryset.filter(children__isnull=True)
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

    def _post_clean(self) -> None:
        # The page is not in the tree yet, so Page.full_clean() (slug checks) cannot run;
        # the validators of the form's fields (amounts above zero...) and the listing's own
        # rules can, and must: saving the revision runs them and would fail with a 500.
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
            return
        try:
            self.instance.clean_fields(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)
        if errors := self.instance.listing_errors():
            self._update_errors(ValidationError(errors))


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
