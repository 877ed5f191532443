"""What the API answers: public content only, never contact details or who the members are.

Answers are plain pydantic models made from dicts (``serialize.py``), not ninja's ``Schema``,
whose support for reading ORM objects costs time on every item of a list."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, create_model


class Problem(BaseModel):
    """An error: what went wrong, and the parameter it is about when there is one."""

    detail: str
    parameter: str | None = None
    errors: dict[str, list[str]] | None = None


class Term(BaseModel):
    """A category or a region of the portal: its filter value and its name."""

    value: str
    name: str


class CompanyRef(BaseModel):
    id: int
    name: str
    url: str


class Item(BaseModel):
    id: int
    title: str
    url: str
    published_at: datetime | None


class ListingOut(Item):
    kind: str
    category: Term
    region: Term
    description: str
    quantity: Decimal
    unit: str
    price_min: Decimal | None
    price_max: Decimal | None
    currency: str
    incoterm: str
    valid_until: date
    company: CompanyRef | None
    moq: Decimal | None = None
    specification: str = ""
    required_by: date | None = None


class CompanyOut(Item):
    profile: str
    country: str
    city: str
    region: Term
    categories: list[Term]
    year_established: int | None
    employees: str
    certifications: list[str]
    verified: bool


class NewsOut(Item):
    kind: str
    date: date
    author: str
    summary: str
    categories: list[Term]


class NewsDetail(NewsOut):
    body: str


class EventOut(Item):
    summary: str
    start_date: date
    end_date: date
    attendance: str
    status: str
    venue: str
    city: str
    country: str
    region: Term | None
    organiser: str
    website: str
    online_url: str


class EventDetail(EventOut):
    description: str
    exhibitors: list[CompanyRef]


class FranchiseOut(Item):
    brand: str
    category: Term
    summary: str
    currency: str
    investment_min: Decimal
    investment_max: Decimal
    franchise_fee: Decimal
    royalty_percent: Decimal
    units_available: int
    year_founded: int
    territories: list[Term]


class FranchiseDetail(FranchiseOut):
    description: str
    support: str
    training: str


class InvestmentOut(Item):
    category: Term
    region: Term
    deal_type: str
    stage: str
    amount_sought: Decimal
    currency: str
    deadline: date
    summary: str
    company: CompanyRef | None


class InvestmentDetail(InvestmentOut):
    description: str


class PricePointOut(BaseModel):
    date: date
    value: float | None
    low: float | None
    high: float | None
    status: str
    inputs: int
    companies: int
    corrected: bool


class PriceSeriesOut(Item):
    key: str
    category: Term
    region: Term | None
    specification: str
    incoterm: str
    unit: str
    currency: str
    frequency: str


class PriceSeriesDetail(PriceSeriesOut):
    description: str
    method: dict
    points: list[PricePointOut]


def page_of(item: type[BaseModel]) -> type[BaseModel]:
    """``{count, next, previous, results: [item]}``: one page of a list."""
    name = item.__name__.removesuffix("Out") + "List"
    return create_model(
        name,
        __base__=BaseModel,
        count=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
        results=(list[item], ...),
    )


# Writing: a member's own listings.


class ListingIn(Schema):
    """A new listing, as the posting form takes it; category and region by slug and code."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["sell", "buy"]
    title: str
    category: str
    region: str
    description: str
    quantity: Decimal
    unit: str
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = ""
    incoterm: str = ""
    valid_until: date | None = None
    moq: Decimal | None = None
    specification: str = ""
    required_by: date | None = None


class ListingPatch(Schema):
    """Changes to a listing awaiting moderation or rejected: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    category: str | None = None
    region: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str | None = None
    incoterm: str | None = None
    valid_until: date | None = None
    moq: Decimal | None = None
    specification: str | None = None
    required_by: date | None = None


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["closed", "fulfilled"] = "closed"


class OwnListingOut(BaseModel):
    """One of the member's listings, whatever its state, as their dashboard shows it."""

    id: int
    kind: str
    title: str
    status: str
    status_label: str
    reason: str
    valid_until: date | None
    url: str | None
