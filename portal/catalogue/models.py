"""A member's product catalogue: products on the company's page and in the portal's
products section, moderated like listings."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage
from portal.syndication import structured

MAX_IMAGES = 6
MAX_SPEC_ROWS = 30
AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
COMPANY = "company"


@dataclass(frozen=True)
class CompanyFilter:
    """A company as a filter of the products section: its slug in the URL, its name above
    the list (what category and region filters offer)."""

    pk: int
    slug: str
    name: str


class ProductIndexPage(ListingIndexPage):
    """The portal's products: by category, by the company's region, and by company
    (``company/<slug>/``: a company's whole catalogue, linked from its page)."""

    listing_model = "catalogue.ProductPage"
    category_lookup = "category"
    region_lookup = "company__region"
    ordering = ("title", "pk")
    listing_related = ("category", "company")
    # The static export sorts products into their companies' lists in memory (see ``filtered``).
    filter_lookups = {COMPANY: "company_id"}
    listing_nouns = ("product", "products")
    subpage_types = ["catalogue.ProductPage"]
    home_teasers = 4

    class Meta:
        verbose_name = "products section"

    @classmethod
    def current_filter(cls) -> models.Q:
        """Products of a company (one whose page was deleted leaves the lists)."""
        return models.Q(company__isnull=False)

    def listings(self) -> models.QuerySet:
        return super().listings().prefetch_related("images__image")

    def companies(self) -> list[CompanyFilter]:
        """The companies with products listed here, by name (looked up once per page)."""
        cached = getattr(self, "_companies", None)
        if cached is None:
            rows = (
                self.listings()
                .filter(company__live=True)
                .order_by("company__title")
                .values_list("company_id", "company__slug", "company__title")
                .distinct()
            )
            cached = self._companies = [CompanyFilter(*row) for row in rows]
        return cached

    def filter_choices(self) -> list[tuple[str | None, Any]]:
        return [*super().filter_choices(), *((COMPANY, c) for c in self.companies())]

    def filtered(
        self,
        kind: str | None = None,
        filter_object: Any = None,
        listings: models.QuerySet | None = None,
    ) -> models.QuerySet:
        if kind == COMPANY:
            listings = self.listings() if listings is None else listings
            return listings.filter(company_id=filter_object.pk)
        return super().filtered(kind, filter_object, listings)

    def company_url(self, request: HttpRequest | None, company_slug: str) -> str:
        """The company's whole catalogue."""
        return self.filter_url(request, COMPANY, company_slug)

    @path("company/<slug:slug>/")
    @path("company/<slug:slug>/page/<int:page>/")
    def by_company(self, request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
        company = next((c for c in self.companies() if c.slug == slug), None)
        if company is None:
            raise Http404("No products of such a company")
        listings = self.list_of(request, COMPANY, company)
        return self.render_listing(request, page, listings, COMPANY, company)


def validate_specification(value: Any) -> None:
    """A specification is a list of ``[name, value]`` pairs of short plain text."""
    if not isinstance(value, list) or len(value) > MAX_SPEC_ROWS:
        raise ValidationError(f"Give a list of at most {MAX_SPEC_ROWS} [name, value] pairs.")
    for row in value:
        if (
            not isinstance(row, list | tuple)
            or len(row) != 2
            or not all(isinstance(part, str) and part.strip() for part in row)
        ):
            raise ValidationError("Each row of the specification is a [name, value] pair.")
        if len(row[0]) > 80 or len(row[1]) > 255:
            raise ValidationError("Keep names to 80 and values to 255 characters.")


class ProductPage(PortalPage):
    """A product of a member company: what it is, its specification, pictures, minimum order
    and price range (or "price on request"). Plain text only; no contact details."""

    company = models.ForeignKey(
        "directory.CompanyPage",
        null=True,
        on_delete=models.SET_NULL,  # a product without its company is no longer listed
        related_name="products",
    )
    category = models.ForeignKey("core.Category", on_delete=models.RESTRICT, related_name="+")
    summary = models.TextField(max_length=500, help_text="What the product is; plain text.")
    specification = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_specification],
        help_text='Rows of name and value, e.g. [["Grade", "S355JR"], ["Width", "1500 mm"]].',
    )
    moq = models.DecimalField("minimum order quantity", null=True, blank=True, **AMOUNT)
    unit = models.CharField(max_length=20, blank=True, help_text="One of the portal's units.")
    price_min = models.DecimalField("price from", null=True, blank=True, **AMOUNT)
    price_max = models.DecimalField("price up to", null=True, blank=True, **AMOUNT)
    currency = models.CharField(max_length=3, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("company"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("specification"),
        InlinePanel("images", max_num=MAX_IMAGES, label="Images"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("moq"), FieldPanel("unit")]),
                FieldRowPanel(
                    [FieldPanel("price_min"), FieldPanel("price_max"), FieldPanel("currency")]
                ),
            ],
            heading="Order and price",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("category"),
        index.FilterField("company"),
    ]
    parent_page_types = ["catalogue.ProductIndexPage"]
    subpage_types: list[str] = []
    route_related = ("category", "company")

    class Meta:
        verbose_name = "product"

    @property
    def has_price(self) -> bool:
        return self.price_min is not None

    def product_errors(self) -> dict[str, str]:
        """What is wrong with the product's order and price fields, by field."""
        errors = {}
        if self.price_max is not None and self.price_min is None:
            errors["price_min"] = "Give the lower end of the range too."
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_max < self.price_min
        ):
            errors["price_max"] = "Must not be below the lower end."
        if self.price_min is not None and not self.currency:
            errors["currency"] = "Choose the currency of the price."
        if self.moq is not None and not self.unit:
            errors["unit"] = "Choose the unit of the minimum order."
        return errors

    def clean(self) -> None:
        super().clean()
        if errors := self.product_errors():
            raise ValidationError(errors)

    def gallery(self) -> list:
        """The product's images, in their order."""
        return [item.image for item in self.images.all() if item.image_id]

    def json_ld(self, request: HttpRequest | None = None) -> dict:
        """schema.org ``Product``, offered by the company (by name only) at its price range."""
        url = self.get_full_url(request)
        company = self.company if self.company_id and self.company.live else None
        offers = None
        if self.has_price:
            offers = structured.price_offer(
                self.price_min,
                self.currency,
                up_to=self.price_max,
                url=url,
                eligibleQuantity=structured.quantity(self.moq, self.unit),
                seller=structured.organization(company.title, company.get_full_url(request))
                if company
                else None,
            )
        return structured.document(
            structured.thing(
                "Product",
                name=self.title,
                description=structured.text(self.summary),
                category=self.category.name,
                url=url,
                brand=structured.organization(company.title) if company else None,
                additionalProperty=[
                    structured.thing("PropertyValue", name=name, value=value)
                    for name, value in self.specification or []
                ],
                offers=offers,
            )
        )


class ProductImage(Orderable):
    """One picture of a product's gallery (an image of the portal's collection)."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("image")]
