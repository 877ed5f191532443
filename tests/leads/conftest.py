"""Pages, members and messages for the leads tests: a franchise and an investment of a
demo company, that company's member, clients on a portal's host."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from portal.board.models import Inquiry, TradeListingPage
from portal.core.models import PortalHomePage
from portal.leads.models import Enquiry
from portal.opportunities.models import FranchiseListingPage, InvestmentOpportunityPage

from ..conftest import host, human


def portal_client(home: PortalHomePage, user=None, **options) -> Client:
    client = Client(HTTP_HOST=host(home.industry_slug), **options)
    if user is not None:
        client.force_login(user)
    return client


def enquiry_data(**data) -> dict:
    return human(
        "enquiry",
        **{
            "name": "Ida Investor",
            "email": "ida.investor@example.com",
            "company_name": "Capital Partners",
            "amount": "250000",
            "currency": "USD",
            "timeline": "6m",
            "message": "We would like to open two outlets next year.",
            **data,
        },
    )


@pytest.fixture
def franchise(steel) -> FranchiseListingPage:
    """A live franchise of a live demo company of the steel portal."""
    return (
        FranchiseListingPage.objects.live()
        .descendant_of(steel)
        .filter(company__live=True)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def investment(steel) -> InvestmentOpportunityPage:
    """A live investment before its deadline, of a live demo company."""
    page = (
        InvestmentOpportunityPage.objects.live()
        .descendant_of(steel)
        .filter(company__live=True)
        .order_by("pk")
        .first()
    )
    page.deadline = date.today() + timedelta(days=30)
    page.save_revision().publish()
    return page


@pytest.fixture
def member(franchise, make_member):
    """A member of the franchise's company."""
    return make_member(franchise.get_site().root_page.specific, "franchisor", franchise.company)


@pytest.fixture
def outsider(steel, make_member):
    """A member of another steel company."""
    return make_member(steel, "outsider")


def enquiry_for(page, **fields) -> Enquiry:
    return Enquiry.objects.create(
        page=page,
        site=page.get_site(),
        company_id=page.company_id,
        name=fields.pop("name", "Ida Investor"),
        email=fields.pop("email", "ida@example.com"),
        message=fields.pop("message", "Interested."),
        **fields,
    )


def inquiry_for(listing: TradeListingPage, **fields) -> Inquiry:
    return Inquiry.objects.create(
        listing=listing,
        site=listing.get_site(),
        name=fields.pop("name", "Ada Buyer"),
        email=fields.pop("email", "ada@example.com"),
        message=fields.pop("message", "Price for 20 t?"),
        **fields,
    )


def aged(row, days: float = 0, replied_after: timedelta | None = None) -> None:
    """Move a message ``days`` into the past, replied ``replied_after`` after it came."""
    created = timezone.now() - timedelta(days=days)
    replied = created + replied_after if replied_after is not None else None
    type(row).objects.filter(pk=row.pk).update(created_at=created, replied_at=replied)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "root-pass-1")
