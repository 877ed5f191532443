"""What a company page shows of its plan: "Gold member since 2026", for paid plans only.

The plan changes without a new revision of the page (assigned in the admin, lapsed by date),
so it is a ``PageState``: the static export folds it into the page's stamp and the page
cache's purge compares it, and the page is built again when it changes."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Min
from django.utils import timezone
from wagtail.models import Page, Site

from portal.core.sections import PageState
from portal.directory.models import CompanyPage
from portal.rendering import per_build

from .models import Subscription

PLAN_FACT = "plans/_plan_fact.html"


@dataclass(frozen=True)
class ShownPlan:
    name: str
    since: int  # the year the company first held this plan

    def shown(self) -> list[Any]:
        return [self.name, self.since]


def paid_plans(company_ids: list[int], on: date | None = None) -> dict[int, ShownPlan]:
    """``{company id: its paid plan on ``on`` (today)}``; companies on the free plan are left
    out."""
    on = on or timezone.localdate()
    current = (
        Subscription.objects.filter(
            company_id__in=company_ids, starts_on__lte=on, ends_on__gte=on, plan__is_free=False
        )
        .select_related("plan")
        .order_by("company_id", "-starts_on", "-pk")
    )
    newest: dict[int, Subscription] = {}
    for subscription in current:
        newest.setdefault(subscription.company_id, subscription)
    firsts = {
        (row["company_id"], row["plan_id"]): row["first"]
        for row in Subscription.objects.filter(company_id__in=list(newest))
        .values("company_id", "plan_id")
        .annotate(first=Min("starts_on"))
    }
    return {
        company_id: ShownPlan(
            subscription.plan.name, firsts[(company_id, subscription.plan_id)].year
        )
        for company_id, subscription in newest.items()
    }


def plans_of(root: Page) -> dict[int, ShownPlan]:
    """``{company id: its paid plan}`` for the portal at ``root``."""
    return paid_plans(list(CompanyPage.objects.descendant_of(root).values_list("pk", flat=True)))


def plans_shown(root: Page) -> dict[int, list[Any]]:
    """``{company id: what its page shows of its plan}`` for the portal at ``root``."""
    return {pk: plan.shown() for pk, plan in plans_of(root).items()}


def plan_context(page: Page, request, context: dict[str, Any]) -> None:
    """A ``portal_page_context`` hook: the company's paid plan, in its page's facts."""
    if not isinstance(page, CompanyPage):
        return
    every = per_build(
        request, ("paid-plans",), lambda: plans_of(Site.find_for_request(request).root_page)
    )
    plan = (every if every is not None else paid_plans([page.pk])).get(page.pk)
    if plan is not None:
        context["company_plan"] = plan
        context.setdefault("company_facts", []).append(PLAN_FACT)


PLAN_STATE = PageState(key="plans-plan", state_without_revision=plans_shown)
