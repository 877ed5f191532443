"""The product catalogue as a section type: everything it brings to a portal, declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .demo import add_images, product_page
from .documents import company_product_ids, product_document
from .shown import shown_content

CATALOGUE = SectionType(
    key="catalogue",
    title="Products",
    index_model="catalogue.ProductIndexPage",
    search=(
        SearchDocumentType(
            key="product",
            label="Products",
            noun="Product",
            model="catalogue.ProductPage",
            build=product_document,
            select_related=("category__parent", "company__region"),
            shows={"directory.CompanyPage": company_product_ids},
        ),
    ),
    shown_content=shown_content,
    demo=DemoContent(
        noun="products",
        seed="product",
        count=lambda scale: max(6, scale // 3),
        build=product_page,
        max_age_days=120,
        order=1,  # after the directory: products belong to its companies
        after_insert=add_images,
    ),
    default=False,  # only in portals whose industry file lists it
)
