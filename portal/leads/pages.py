"""Which pages take enquiries, and whether one still does."""

from datetime import date

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from wagtail.models import Page

from portal.core.context import portal_site
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

ENQUIRY_PAGES = (FranchiseListingPage, InvestmentOpportunityPage)


def takes_enquiries(page: Page) -> bool:
    return isinstance(page, ENQUIRY_PAGES)


def is_closed(page: Page) -> bool:
    """An investment past its deadline takes no more enquiries."""
    return isinstance(page, InvestmentOpportunityPage) and page.deadline < date.today()


def enquiry_page(request: HttpRequest, pk: int) -> FranchiseListingPage | InvestmentOpportunityPage:
    """A live, public franchise or investment page of the portal serving ``request``; 404
    for anything else."""
    site = portal_site(request)
    page = get_object_or_404(Page.objects.live().public(), pk=pk).specific
    if site is None or not takes_enquiries(page) or not page.path.startswith(site.root_page.path):
        raise Http404("No such page on this portal.")
    return page
