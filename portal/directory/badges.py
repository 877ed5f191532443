"""The "Verified" badge lapses by date, without a new revision of the company's page: the
static export folds it into the page's stamp, so the page and the cards that show the badge
are built again when it lapses."""

from typing import Any

from wagtail.models import Page

from .models import CompanyPage


def verified_today(root: Page) -> dict[int, list[Any]]:
    companies = (
        CompanyPage.objects.descendant_of(root)
        .filter(verified_on__isnull=False)
        .only("verified_on", "verification_expires")
    )
    return {company.pk: ["verified"] for company in companies if company.is_verified()}
