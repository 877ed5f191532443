"""The company directory as a section type: everything it brings to a portal, declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .badges import verified_today
from .demo import add_checks, company_page
from .documents import KINDS, company_document

DIRECTORY = SectionType(
    key="directory",
    title="Directory",
    index_model="directory.DirectoryIndexPage",
    search=(
        SearchDocumentType(
            key="company",
            label="Companies",
            noun="Company",
            model="directory.CompanyPage",
            build=company_document,
            select_related=("region",),
            prefetch_related=("categories",),
            kinds=KINDS,
        ),
    ),
    state_without_revision=verified_today,
    demo=DemoContent(
        noun="companies",
        seed="company",
        count=lambda scale: max(6, scale // 8),
        build=company_page,
        max_age_days=0,
        order=0,
        many_to_many=("categories",),
        after_insert=add_checks,
    ),
)
