"""The admin's forms: assigning a plan to a company, recording a payment. Every choice is of
the user's own portals; a company and a plan of two portals do not go together."""

from django import forms

from .models import Payment, Subscription
from .periods import period_end
from .providers import provider_choices
from .scope import staff_companies, staff_plans, staff_subscriptions

DATE = forms.DateInput(attrs={"type": "date"})


class SubscriptionForm(forms.ModelForm):
    """A plan for a company, for a period (its end: the plan's period if left empty)."""

    class Meta:
        model = Subscription
        fields = [
            "company",
            "plan",
            "starts_on",
            "ends_on",
            "payment_reference",
            "provider",
            "notes",
        ]
        widgets = {
            "company": forms.Select,
            "plan": forms.Select,
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, for_user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = staff_companies(for_user).order_by("title")
        self.fields["plan"].queryset = staff_plans(for_user, offered_only=True).order_by(
            "site", "position"
        )
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.name} ({plan.site})"
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = "Empty: the end of the plan's period."
        self.fields["provider"] = forms.ChoiceField(choices=provider_choices(), initial="manual")

    def clean(self) -> dict:
        data = super().clean()
        company, plan, starts = data.get("company"), data.get("plan"), data.get("starts_on")
        if company and plan and company.portal_site != plan.site:
            self.add_error("plan", "Choose a plan of the company's own portal.")
        if plan and starts and not data.get("ends_on"):
            data["ends_on"] = period_end(starts, plan.period_months or 12)
            self.instance.ends_on = data["ends_on"]
        if starts and data.get("ends_on") and data["ends_on"] < starts:
            self.add_error("ends_on", "The plan cannot end before it starts.")
        return data


class PaymentForm(forms.ModelForm):
    """A payment received for an assignment (for bank transfers: its reference)."""

    class Meta:
        model = Payment
        fields = ["subscription", "reference", "amount", "currency", "recorded_on"]
        widgets = {"subscription": forms.Select, "recorded_on": DATE}
        labels = {"subscription": "For", "recorded_on": "Received on"}

    def __init__(self, *args, for_user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subscription"].required = True
        self.fields["subscription"].queryset = staff_subscriptions(for_user)
        self.fields["currency"].required = False
        self.fields["currency"].help_text = "Empty: the plan's currency."

    def clean(self) -> dict:
        data = super().clean()
        subscription = data.get("subscription")
        if subscription and not data.get("currency"):
            data["currency"] = subscription.plan.currency
        return data


class PaymentStatusForm(forms.ModelForm):
    """A recorded payment's reference and status may be corrected (a refund), nothing more."""

    class Meta:
        model = Payment
        fields = ["reference", "status"]

    def __init__(self, *args, for_user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
