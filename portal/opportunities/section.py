"""Franchises and investment opportunities: two section types of one app, each declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .demo import franchise_page, investment_page
from .documents import franchise_document, investment_document

FRANCHISES = SectionType(
    key="franchises",
    title="Franchises",
    index_model="opportunities.FranchiseIndexPage",
    search=(
        SearchDocumentType(
            key="franchise",
            label="Franchises",
            noun="Franchise",
            model="opportunities.FranchiseListingPage",
            build=franchise_document,
            select_related=("sector",),
        ),
    ),
    demo=DemoContent(
        noun="franchises",
        seed="franchise",
        count=lambda scale: max(3, scale // 25),
        build=franchise_page,
        max_age_days=90,
        order=3,
        many_to_many=("territories",),
    ),
)

INVESTMENT = SectionType(
    key="investment",
    title="Investment",
    index_model="opportunities.InvestmentIndexPage",
    search=(
        SearchDocumentType(
            key="investment",
            label="Investment",
            noun="Investment",
            model="opportunities.InvestmentOpportunityPage",
            build=investment_document,
            select_related=("sector", "region"),
        ),
    ),
    demo=DemoContent(
        noun="investments",
        seed="investment",
        count=lambda scale: max(3, scale // 25),
        build=investment_page,
        max_age_days=60,
        order=4,
    ),
)
