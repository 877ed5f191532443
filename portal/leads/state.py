"""What a company page shows of its response figures, for the static export's stamps and the
page cache's purge (a ``PageState``): the rounded figures, so the page is built again when
they move, not with every message."""

from typing import Any

from wagtail.models import Page

from portal.core.sections import PageState
from portal.directory.models import CompanyPage

from .responses import ResponseFigures, company_figures


def response_shown(root: Page) -> dict[int, list[Any]]:
    """``{company id: what its page shows}`` for the companies of the portal at ``root``."""
    ids = list(CompanyPage.objects.descendant_of(root).values_list("pk", flat=True))
    found = company_figures(ids)
    return {pk: found.get(pk, ResponseFigures()).shown() for pk in ids}


RESPONSE_STATE = PageState(key="leads-response", state_without_revision=response_shown)
