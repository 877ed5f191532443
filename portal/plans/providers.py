"""Payment providers: how a plan is paid for. A provider tells members how to pay and turns
what happened into a :class:`~portal.plans.models.Payment`.

The one shipped is ``manual`` (bank transfer): members read the portal's instructions, the
association's staff record the transfer with its reference when it arrives, and the provider
marks it paid. To add a provider (a card processor...), write a subclass of
:class:`PaymentProvider` and list its dotted path in the setting
``PLANS_PAYMENT_PROVIDERS``; its ``key`` is what payments and plan assignments store.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Payment, PaymentStatus, PaymentTerms, Subscription

DEFAULT_PROVIDERS = ["portal.plans.providers.ManualProvider"]


class PaymentProvider:
    """What every provider has: a ``key`` (stored on payments: "manual") and a ``label``
    (shown to staff: "Bank transfer"), what members read about paying, and :meth:`record`,
    which saves a payment in the state the provider knows it in (``recorded_status``; a
    provider that learns more, e.g. from a card processor, overrides it)."""

    key: str
    label: str
    recorded_status: str = PaymentStatus.PENDING

    def instructions(self, site) -> str:
        """What a member reads about paying on the portal of ``site``."""
        raise NotImplementedError

    def record(
        self,
        subscription: Subscription,
        reference: str,
        amount: Decimal,
        currency: str,
        by=None,
        on: date | None = None,
    ) -> Payment:
        """A payment for ``subscription``, saved, in the state the provider knows it in."""
        return Payment.objects.create(
            site=subscription.site,
            company=subscription.company,
            subscription=subscription,
            provider=self.key,
            reference=reference,
            amount=amount,
            currency=currency,
            status=self.recorded_status,
            recorded_on=on or timezone.localdate(),
            recorded_by=by,
        )


class ManualProvider(PaymentProvider):
    """Bank transfer: the portal's instructions (industry file, else the setting
    ``PLANS_PAYMENT_INSTRUCTIONS``); a payment staff record is paid."""

    key = "manual"
    label = "Bank transfer"
    recorded_status = PaymentStatus.PAID

    def instructions(self, site) -> str:
        terms = PaymentTerms.objects.filter(site=site).first()
        if terms is not None and terms.payment_instructions:
            return terms.payment_instructions
        return getattr(settings, "PLANS_PAYMENT_INSTRUCTIONS", "")


def providers() -> dict[str, PaymentProvider]:
    """The configured providers by key."""
    paths = getattr(settings, "PLANS_PAYMENT_PROVIDERS", DEFAULT_PROVIDERS)
    found = {}
    for path in paths:
        provider = import_string(path)()
        found[provider.key] = provider
    return found


def provider(key: str = "manual") -> PaymentProvider:
    """The provider of ``key``; KeyError for one not configured."""
    return providers()[key]


def provider_choices() -> list[tuple[str, str]]:
    return [(key, each.label) for key, each in providers().items()]
