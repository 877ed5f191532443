"""The market board as a section type: everything it brings to a portal, declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .balance import first_page_balances
from .demo import board_activity, listing_page
from .documents import listing_document
from .models import TradeListingPage
from .shown import shown_content


def company_listing_ids(company) -> list[int]:
    """A listing's search document shows its company's name."""
    return list(
        TradeListingPage.objects.live().filter(company=company).values_list("pk", flat=True)
    )


BOARD = SectionType(
    key="board",
    title="Market board",
    index_model="board.BoardIndexPage",
    search=(
        SearchDocumentType(
            key="listing",
            label="Market listings",
            noun="Listing",
            model="board.TradeListingPage",
            build=listing_document,
            select_related=("category__parent", "region", "company"),
            kinds=(("sell", "Sell offers"), ("buy", "Buy requests")),
            shows={"directory.CompanyPage": company_listing_ids},
        ),
    ),
    shown_content=shown_content,
    first_page_content=first_page_balances,
    demo=DemoContent(
        noun="listings",
        seed="listing",
        count=lambda scale: scale,
        build=listing_page,
        max_age_days=45,
        order=2,
    ),
    demo_activity=board_activity,
    moderator_permissions=("board.view_inquiry",),
)
