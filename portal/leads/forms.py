"""The enquiry form of franchise and investment pages, and the inbox's forms."""

from typing import Any

from django import forms

from portal.core.models import PortalSettings, Region
from portal.defences.forms import HumanCheckMixin, PlainTextMixin
from portal.members.leads import LeadState, LeadStatus

from .models import Enquiry


class EnquiryForm(HumanCheckMixin, PlainTextMixin, forms.ModelForm):
    """What a prospective franchisee or investor tells the company; choices of one portal."""

    token_form = "enquiry"

    class Meta:
        model = Enquiry
        fields = [
            "name",
            "email",
            "company_name",
            "amount",
            "currency",
            "timeline",
            "territory",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        labels = {
            "name": "Your name",
            "email": "Your email",
            "company_name": "Your company",
            "amount": "Capital available or ticket size",
        }
        help_texts = {"email": "Only the company sees it, in the email we forward to them."}

    def __init__(self, *args: Any, portal: PortalSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"] = forms.ChoiceField(
            choices=[("", "—"), *portal.currency_choices()], required=False
        )
        territory = self.fields["territory"]
        territory.queryset = Region.objects.filter(site_id=portal.site_id, is_active=True)
        territory.empty_label = "Any"

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", "Say which currency the amount is in.")
        return cleaned


class LeadStateForm(PlainTextMixin, forms.Form):
    """A member's status and private notes for one inquiry or enquiry."""

    status = forms.ChoiceField(choices=LeadStatus.choices)
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=LeadState._meta.get_field("notes").help_text,
    )


class ReplyForm(PlainTextMixin, forms.Form):
    """A reply sent through the portal, from the member's address (Reply-To)."""

    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
