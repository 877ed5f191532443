"""A company's badge changes without a new revision of its page: a check is recorded or
revoked, or lapses on its date. The static export folds what the badge shows today into the
page's stamp (``state_without_revision``), so the page and the lists whose cards show the
badge are built again (and purged from the page cache) when it changes."""

from collections import defaultdict
from typing import Any

from wagtail.models import Page

from . import dates
from .checks import VerificationCheck
from .models import CompanyPage


def verified_today(root: Page) -> dict[int, list[Any]]:
    """``{company id: [the checks the badge lists today, and whether it says "Verified"]}``
    for the companies of the portal at ``root`` that have ever had a check."""
    today = dates.today()
    companies = CompanyPage.objects.descendant_of(root).values("pk")
    checks = VerificationCheck.objects.filter(company__in=companies).current(today)
    shown: dict[int, list[Any]] = defaultdict(list)
    for company_id, pk in checks.order_by("company", "pk").values_list("company_id", "pk"):
        shown[company_id].append(pk)
    summaries = (
        CompanyPage.objects.descendant_of(root)
        .filter(verified_on__isnull=False)
        .only("verified_on", "verification_expires")
    )
    verified = {company.pk for company in summaries if company.is_verified(today)}
    return {
        pk: ["verified" if pk in verified else "unverified", *shown.get(pk, [])]
        for pk in set(shown) | verified
    }
