"""Demo products of the demo companies (see ``portal/demo``): made after the directory, the
same on every run."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from .models import ProductImage, ProductPage

if TYPE_CHECKING:
    from portal.demo.context import DemoContext

GRADES = ("Standard", "Premium", "Export grade", "Industrial", "Select", "Economy")
FINISHES = ("Natural", "Coated", "Treated", "Bulk", "Packed", "Graded")
ORIGINS = ("Own production", "Partner mill", "Contract processing")


def product_page(ctx: "DemoContext", number: int) -> tuple[ProductPage | None, dict[str, Any]]:
    """Product ``number``: a leaf category in a grade, of one of the demo companies."""
    companies = ctx.items_of("directory")
    if not companies or not ctx.leaves:
        return None, {}
    rng = ctx.rng("product", number)
    company = companies[number % len(companies)]
    category = rng.choice(ctx.leaves)
    grade = rng.choice(GRADES)
    unit = ctx.industry.units[0]
    currency = ctx.industry.currencies[0]
    title = f"{grade} {category.name.lower()} from {company.title}"
    priced = rng.random() < 0.75
    low = Decimal(rng.randrange(20, 2000) * 5)
    page = ProductPage(
        title=title,
        slug=f"{slugify(title)[:70].rstrip('-')}-{number}",
        company=company,
        category=category,
        summary=f"{grade} {category.name.lower()} supplied by {company.title}: "
        f"consistent quality, documented origin and delivery across {company.region.name}.",
        specification=[
            ["Grade", grade],
            ["Finish", rng.choice(FINISHES)],
            ["Origin", rng.choice(ORIGINS)],
            ["Lead time", f"{rng.randint(1, 8)} weeks"],
        ],
        moq=Decimal(rng.choice([1, 5, 10, 20, 25, 50, 100])),
        unit=unit.code,
        price_min=low if priced else None,
        price_max=low + Decimal(rng.randrange(1, 40) * 5) if priced else None,
        currency=currency if priced else "",
        owner=None,
    )
    page.search_description = page.summary
    groups = [group.pk for group in ctx.groups[: len(ctx.images)]]
    parent = category.parent_id
    image = ctx.images[groups.index(parent)] if parent in groups else None
    return page, {"image": image.pk if image is not None else None}


def add_images(pages: list[ProductPage], related: list[dict[str, Any]]) -> None:
    """Each demo product's picture: its category's banner."""
    ProductImage.objects.bulk_create(
        [
            ProductImage(page=page, image_id=values["image"], sort_order=0)
            for page, values in zip(pages, related, strict=True)
            if values.get("image")
        ]
    )
