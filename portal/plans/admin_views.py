"""The plans admin, scoped per portal: staff assign plans to their portal's companies and
record payments; every URL naming another portal's assignment or payment answers 404, and
nothing is deleted (the history is kept)."""

from django.db.models import QuerySet
from wagtail.admin.views import generic

from portal.core import changes
from portal.core.admin_viewsets import ScopedViewSet

from .admin_forms import PaymentForm, PaymentStatusForm, SubscriptionForm
from .models import Payment, Subscription
from .providers import provider
from .scope import staff_payments, staff_subscriptions


class PlansViewSet(ScopedViewSet):
    """Nothing is deleted: the history is kept."""

    refuse = ("delete",)
    refused_message = "Plan assignments and payments are never deleted."


class ForUser:
    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class SubscriptionIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return staff_subscriptions(self.request.user)


class SubscriptionSaving(ForUser):
    def save_instance(self) -> Subscription:
        subscription = self.form.save(commit=False)
        subscription.site = subscription.plan.site
        if subscription.assigned_by_id is None:
            subscription.assigned_by = self.request.user
        subscription.save()
        changes.note(subscription.site_id)  # the company page shows its plan
        return subscription


class SubscriptionCreateView(SubscriptionSaving, generic.CreateView):
    pass


class SubscriptionEditView(SubscriptionSaving, generic.EditView):
    pass


class SubscriptionViewSet(PlansViewSet):
    model = Subscription
    url_prefix = "plans/subscriptions"
    visible = staticmethod(staff_subscriptions)
    icon = "group"
    menu_label = "Plan assignments"
    inspect_view_enabled = True
    index_view_class = SubscriptionIndexView
    add_view_class = SubscriptionCreateView
    edit_view_class = SubscriptionEditView
    list_display = ["company", "plan", "starts_on", "ends_on", "payment_reference", "site"]
    list_filter = ["plan__key", "starts_on", "ends_on"]
    search_fields = ["payment_reference", "notes"]
    inspect_view_fields = [
        *SubscriptionForm.Meta.fields,
        "site",
        "assigned_by",
        "assigned_at",
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return SubscriptionForm


class PaymentIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return staff_payments(self.request.user)


class PaymentCreateView(ForUser, generic.CreateView):
    def save_instance(self) -> Payment:
        """The provider records the payment (bank transfer: paid, with its reference)."""
        data = self.form.cleaned_data
        subscription = data["subscription"]
        return provider(subscription.provider or "manual").record(
            subscription,
            reference=data["reference"],
            amount=data["amount"],
            currency=data["currency"],
            by=self.request.user,
            on=data["recorded_on"],
        )


class PaymentEditView(ForUser, generic.EditView):
    pass


class PaymentViewSet(PlansViewSet):
    model = Payment
    url_prefix = "plans/payments"
    visible = staticmethod(staff_payments)
    icon = "doc-full"
    menu_label = "Payments"
    inspect_view_enabled = True
    index_view_class = PaymentIndexView
    add_view_class = PaymentCreateView
    edit_view_class = PaymentEditView
    list_display = ["company", "reference", "amount", "currency", "status", "recorded_on", "site"]
    list_filter = ["status", "provider", "recorded_on"]
    search_fields = ["reference"]
    inspect_view_fields = [
        "company",
        "subscription",
        "provider",
        "reference",
        "amount",
        "currency",
        "status",
        "recorded_on",
        "recorded_by",
        "site",
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return PaymentStatusForm if for_update else PaymentForm
