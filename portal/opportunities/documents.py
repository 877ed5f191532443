"""The search documents of franchise listings and investment opportunities."""

from typing import Any

from .models import FranchiseListingPage, InvestmentOpportunityPage


def franchise_document(page: FranchiseListingPage) -> dict[str, Any]:
    return {
        "body": "\n".join([page.brand, page.summary, page.description]),
        "price": page.investment_min,
        "currency": page.currency,
        "categories": [page.sector],
    }


def investment_document(page: InvestmentOpportunityPage) -> dict[str, Any]:
    return {
        "body": "\n".join([page.summary, page.description]),
        "price": page.amount_sought,
        "currency": page.currency,
        "region": page.region,
        "expires_on": page.deadline,
        "categories": [page.sector],
    }
