"""What a member's "Your plan" page shows: the plan, its period, each quota's use."""

from dataclasses import dataclass
from datetime import date

from . import quotas
from .current import plan_of, subscription_of
from .models import Plan, Subscription


@dataclass(frozen=True)
class QuotaUse:
    quota: str
    label: str
    used: int
    limit: int | None  # None: unlimited

    @property
    def text(self) -> str:
        if self.limit is None:
            return f"{self.used} used (unlimited)"
        return f"{self.used} of {self.limit} used"

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    subscription: Subscription | None
    uses: list[QuotaUse]

    @property
    def renews_on(self) -> date | None:
        return self.subscription.ends_on if self.subscription else None


def summary(company) -> PlanSummary:
    """The company's plan today and how much of each quota it uses."""
    subscription = subscription_of(company)
    plan = subscription.plan if subscription else plan_of(company)
    uses = [
        QuotaUse(quota, quotas.LABELS[quota], quotas.used(company, quota), plan.limit(quota))
        for quota in quotas.QUOTAS
    ]
    return PlanSummary(plan=plan, subscription=subscription, uses=uses)
