"""Saving a sponsorship, with the featured slots of the company's plan: the check and the
save run under the company's quota lock, so two racing bookings cannot both take the last
slot. Also the count of slots a company uses, which the plans app reads."""

from django.db import transaction
from django.db.models import Q

from portal.board.models import TradeListingPage
from portal.directory.models import CompanyPage
from portal.plans import quotas

from .models import Sponsorship
from .slots import today

QUOTA = "featured_slots"


def featured_in_use(company: CompanyPage) -> int:
    """The company's sponsorships on a plan's slot that have not ended: its own page's and
    its listings'."""
    listings = TradeListingPage.objects.filter(company=company).values("pk")
    return (
        Sponsorship.objects.filter(uses_plan_slot=True, ends_on__gte=today())
        .filter(Q(page=company) | Q(page__in=listings))
        .count()
    )


def takes_new_slot(sponsorship: Sponsorship) -> bool:
    """Whether saving ``sponsorship`` adds one to the slots its company uses now."""
    if not sponsorship.uses_plan_slot or sponsorship.ends_on < today():
        return False
    if sponsorship.pk is None:
        return True
    before = Sponsorship.objects.filter(pk=sponsorship.pk).first()
    counted = before is not None and before.uses_plan_slot and before.ends_on >= today()
    return not counted or before.page_id != sponsorship.page_id


def save_sponsorship(sponsorship: Sponsorship) -> Sponsorship:
    """Save ``sponsorship``; :class:`portal.plans.quotas.QuotaExceeded` if it takes a
    featured slot the company's plan does not have (nothing is saved then)."""
    company = sponsorship.company if sponsorship.uses_plan_slot else None
    with transaction.atomic(), quotas.held(company):
        if company is not None and takes_new_slot(sponsorship):
            quotas.check(company, QUOTA)
        sponsorship.save()
    return sponsorship
