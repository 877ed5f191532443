"""Keeping the "verified" kind of companies' search documents in step with their checks: a
check recorded or revoked, or lapsing on its date (the board's hourly jobs tell every portal
it changed), leaves documents that say otherwise; they are rebuilt."""

from typing import Any

from portal.directory.models import CompanyPage
from portal.directory.verified import VERIFIED, verified_q
from search.models import SearchDocument
from search.sync import reindex


def drifted(site_ids: set[int]) -> list[int]:
    """Companies of the sites ``site_ids`` whose document's kind disagrees with today."""
    documents = SearchDocument.objects.filter(site_id__in=site_ids, doc_type="company")
    said = dict(documents.values_list("page_id", "kind"))
    if not said:
        return []
    verified = set(
        CompanyPage.objects.filter(verified_q(), pk__in=said).values_list("pk", flat=True)
    )
    return [pk for pk, kind in said.items() if (kind == VERIFIED) != (pk in verified)]


def refresh_verified_documents(sender: Any, site_ids: set[int], **kwargs: Any) -> None:
    """``portal_changed`` receiver."""
    if pages := drifted(set(site_ids)):
        reindex(pages)
