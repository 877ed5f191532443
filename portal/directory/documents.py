"""The search document of a company."""

from typing import Any

from .models import CompanyPage


def company_document(page: CompanyPage) -> dict[str, Any]:
    return {
        "body": "\n".join([page.profile, page.city, page.country]),
        "region": page.region,
        "categories": list(page.categories.all()),
    }
