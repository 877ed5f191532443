"""The search document of a company: a verified company is of the kind "verified" (the
search page's "Kind" facet, and the static copy's Pagefind filter of that name)."""

from typing import Any

from .models import CompanyPage
from .verified import VERIFIED

KINDS = ((VERIFIED, "Verified suppliers"),)


def company_document(page: CompanyPage) -> dict[str, Any]:
    return {
        "body": "\n".join([page.profile, page.city, page.country]),
        "region": page.region,
        "categories": list(page.categories.all()),
        "kind": VERIFIED if page.is_verified() else "",
    }
