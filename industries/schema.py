"""The schema of ``industries/<slug>.yaml``: what a vertical is made of.

Validation happens before anything touches the database, so a broken file never leaves a
half-created portal behind.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils.text import slugify
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from portal.core.sections import section_type, section_types

from .contrast import contrast_ratio

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*$")
MIN_CONTRAST = 4.5

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
Colour = Annotated[str, StringConstraints(pattern=HEX_COLOUR)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=255, strip_whitespace=True)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Palette(Strict):
    primary: Colour = Field(description="Header and buttons; white text sits on it.")
    accent: Colour
    background: Colour = "#ffffff"
    text: Colour = "#1b1f24"

    @model_validator(mode="after")
    def readable(self) -> "Palette":
        if contrast_ratio(self.primary, "#ffffff") < MIN_CONTRAST:
            raise ValueError(
                f"primary {self.primary} is too light for white text "
                f"(contrast {contrast_ratio(self.primary, '#ffffff'):.1f}:1, "
                f"needs {MIN_CONTRAST}:1)"
            )
        if contrast_ratio(self.text, self.background) < MIN_CONTRAST:
            raise ValueError(
                f"text {self.text} on background {self.background} is unreadable "
                f"(contrast {contrast_ratio(self.text, self.background):.1f}:1, "
                f"needs {MIN_CONTRAST}:1)"
            )
        return self


class Unit(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9²³/._-]{1,16}$")]
    name: Text


class Region(Strict):
    code: Slug
    name: Text


class PriceGuide(Strict):
    """Typical price range of a category, used by demo content and as a hint to listers."""

    min: float = Field(gt=0)
    max: float = Field(gt=0)
    unit: str
    currency: Currency

    @model_validator(mode="after")
    def ordered(self) -> "PriceGuide":
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must not be below min ({self.min})")
        return self


class Category(Strict):
    name: Text
    slug: Slug | None = None
    description: str = ""
    specs: list[Text] = Field(default_factory=list, description="Grades or specifications.")
    price: PriceGuide | None = None

    @property
    def key(self) -> str:
        return self.slug or slugify(self.name)

    @model_validator(mode="after")
    def usable_slug(self) -> "Category":
        if not SLUG.match(self.key) or len(self.key) > 60:
            raise ValueError(
                f"{self.name!r} gives the URL slug {self.key!r}; set a slug of letters, digits "
                "and hyphens, at most 60 characters"
            )
        return self


class CategoryGroup(Category):
    children: list[Category] = Field(min_length=1)


class Section(Strict):
    kind: str = Field(description="A registered section type: news, board, directory...")
    title: Text | None = None
    slug: Slug | None = None
    intro: str = ""
    options: dict[str, Any] = Field(
        default_factory=dict, description="Settings of the section type (see its docs)."
    )

    @field_validator("kind")
    @classmethod
    def registered(cls, value: str) -> str:
        known = [entry.key for entry in section_types()]
        if value not in known:
            raise ValueError(
                f"{value!r} is not a section type (expected one of: {', '.join(known)})"
            )
        return value

    @property
    def display_title(self) -> str:
        return self.title or section_type(self.kind).title

    @property
    def url_slug(self) -> str:
        return self.slug or self.kind

    def parsed_options(self) -> Any:
        """The options as the section type's model, or None for a type without options."""
        model = section_type(self.kind).options
        if model is None:
            if self.options:
                raise ValueError(f"sections: {self.kind} takes no options")
            return None
        return model.model_validate(self.options)


class Expiry(Strict):
    sell_offer_days: int = Field(60, ge=1, le=730)
    buy_request_days: int = Field(30, ge=1, le=730)


class Demo(Strict):
    """Words the demo generator uses to make content that reads like the industry."""

    company_stems: list[Text] = Field(default_factory=list)
    company_suffixes: list[Text] = Field(default_factory=list)
    cities: list[Text] = Field(default_factory=list)
    certifications: list[Text] = Field(default_factory=list)
    franchise_concepts: list[Text] = Field(default_factory=list)
    news_topics: list[Text] = Field(default_factory=list)


class PlanQuotas(Strict):
    """A plan's limits; omitted or empty means unlimited."""

    live_listings: int | None = Field(None, ge=0, description="Open or pending listings.")
    quotes_per_week: int | None = Field(None, ge=0, description="Quotes sent in 7 days.")
    featured_slots: int | None = Field(None, ge=0)
    catalogue_size: int | None = Field(None, ge=0, description="Products in the catalogue.")


class MembershipPlan(Strict):
    key: Slug
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    price: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    currency: Currency | None = Field(None, description="One of the file's; its first if empty.")
    period_months: int = Field(12, ge=1, le=60)
    quotas: PlanQuotas = Field(default_factory=PlanQuotas)

    @property
    def is_free(self) -> bool:
        return self.price == 0


def _free_plan_only() -> list[MembershipPlan]:
    return [MembershipPlan(key="free", name="Free")]


class MembershipPlans(Strict):
    """The plans companies may be on; exactly one is free (price 0), the fallback."""

    plans: list[MembershipPlan] = Field(default_factory=_free_plan_only, min_length=1)
    payment_instructions: str = Field(
        "", description="How to pay by bank transfer (shown to members with a plan to renew)."
    )

    @model_validator(mode="after")
    def one_free_plan(self) -> "MembershipPlans":
        _unique("membership plans", [plan.key for plan in self.plans])
        free = [plan.key for plan in self.plans if plan.is_free]
        if len(free) != 1:
            raise ValueError(
                "exactly one plan must be free (price 0), the one companies fall back to; "
                f"found {len(free)}{': ' + ', '.join(free) if free else ''}"
            )
        return self


def _default_sections() -> list[Section]:
    return [Section(kind=entry.key) for entry in section_types() if entry.default]


class Industry(Strict):
    slug: Slug
    # Short enough for "<name> moderators" to fit a group name (150 characters).
    name: Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
    hostname: str
    tagline: Text
    description: str = ""
    theme: Slug = "base"
    palette: Palette
    units: list[Unit] = Field(min_length=1)
    currencies: list[Currency] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    expiry: Expiry = Field(default_factory=Expiry)
    quote_cap: int = Field(20, ge=1, le=500, description="Most quotes one buy request accepts.")
    sections: list[Section] = Field(default_factory=_default_sections, min_length=1)
    taxonomy: list[CategoryGroup] = Field(min_length=1)
    demo: Demo = Field(default_factory=Demo)
    membership: MembershipPlans = Field(default_factory=MembershipPlans)

    @field_validator("hostname")
    @classmethod
    def valid_hostname(cls, value: str) -> str:
        return normalise_hostname(value)

    @model_validator(mode="after")
    def consistent(self) -> "Industry":
        _unique("units", [u.code for u in self.units])
        _unique("currencies", self.currencies)
        _unique("regions", [r.code for r in self.regions])
        _unique("sections", [s.kind for s in self.sections])
        _unique("taxonomy", [c.key for c in self.categories()])
        for section in self.sections:
            _check_options(section, self)
        units = {u.code for u in self.units}
        for category in self.categories():
            if category.price and category.price.unit not in units:
                raise ValueError(
                    f"taxonomy: {category.name!r} prices per {category.price.unit!r}, "
                    f"which is not one of the units {sorted(units)}"
                )
            if category.price and category.price.currency not in self.currencies:
                raise ValueError(
                    f"taxonomy: {category.name!r} prices in {category.price.currency!r}, "
                    f"which is not one of the currencies {self.currencies}"
                )
        for plan in self.membership.plans:
            if plan.currency and plan.currency not in self.currencies:
                raise ValueError(
                    f"membership: plan {plan.key!r} costs {plan.currency!r}, "
                    f"which is not one of the currencies {self.currencies}"
                )
        return self

    def categories(self) -> list[Category]:
        """Every category, parents before their children."""
        out: list[Category] = []
        for group in self.taxonomy:
            out.append(group)
            out.extend(group.children)
        return out

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)


def _check_options(section: Section, industry: "Industry") -> None:
    """Validate a section's options, and what they say of the rest of the file."""
    try:
        options = section.parsed_options()
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors()[0]["loc"])
        raise ValueError(
            f"sections: {section.kind} options {where}: {error.errors()[0]['msg']}"
        ) from None
    check = getattr(options, "check", None)
    if check is not None:
        try:
            check(industry)
        except ValueError as error:
            raise ValueError(f"sections: {section.kind} options: {error}") from None


def normalise_hostname(value: str) -> str:
    """Lower-cased ``host`` or ``host:port``; ValueError for anything else."""
    host, _, port = value.strip().lower().partition(":")
    if not HOSTNAME.match(host) or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise ValueError(
            f"{value!r} is not a hostname like 'steel.example.org' or 'steel.localhost:8000'"
        )
    return f"{host}:{port}" if port else host


def _unique(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field}: {value!r} appears twice; each must be unique")
        seen.add(value)
