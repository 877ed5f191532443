"""The prices section's options in an industry file: its series and how each is assessed.

```yaml
sections:
  - kind: prices
    options:
      caution_below: 0.6        # a listing under 60 % of its series' latest value shows a caution
      method: {min_inputs: 5, min_companies: 3, company_cap: 0.3, outliers: 1.96, too_little: carry}
      series:
        - slug: hrc-fob-east-asia
          name: Hot-rolled coil, FOB East Asia
          category: hot-rolled-coil
          incoterm: FOB
          region: east-asia
          unit: t
          currency: USD
          frequency: weekly
          cutoff: {weekday: friday, time: "16:00"}
```
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from portal.core.models.settings import INCOTERMS

if TYPE_CHECKING:
    from industries.schema import Industry

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Method(Strict):
    """How a point is worked out of its inputs (see the methodology page)."""

    min_inputs: int = Field(5, ge=1, le=1000, description="Fewest inputs a point needs.")
    min_companies: int = Field(3, ge=1, le=100, description="Fewest distinct companies.")
    company_cap: float = Field(
        0.3, gt=0, le=1, description="Largest share of a point any one company may weigh."
    )
    outliers: float = Field(
        1.96,
        ge=0,
        le=10,
        description="Inputs this many standard deviations out are trimmed; 0 keeps all.",
    )
    too_little: Literal["carry", "skip"] = Field(
        "carry", description="Too few inputs: carry the last value forward (marked), or skip."
    )

    @model_validator(mode="after")
    def reachable(self) -> "Method":
        if self.company_cap < 1 and self.min_companies * self.company_cap < 1:
            raise ValueError(
                f"company_cap {self.company_cap:g} cannot hold with min_companies "
                f"{self.min_companies}: caps of {self.min_companies} companies add up to less "
                "than the whole; raise min_companies or the cap"
            )
        return self


class Cutoff(Strict):
    weekday: Literal[WEEKDAYS] = "friday"  # type: ignore[valid-type]
    time: dt.time = dt.time(16, 0)

    @property
    def weekday_number(self) -> int:
        return WEEKDAYS.index(self.weekday)


class Series(Strict):
    slug: Slug
    name: Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
    category: Slug = Field(description="A category of the taxonomy (its slug).")
    specification: str = Field("", max_length=120, description="Only listings naming it.")
    incoterm: str = Field("", description="The basis's incoterm; empty for any.")
    region: str = Field("", description="The basis's region code; empty for any.")
    unit: str
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    frequency: Literal["weekly", "daily"] = "weekly"
    cutoff: Cutoff = Field(default_factory=Cutoff)
    method: dict = Field(
        default_factory=dict, description="What differs from the section's method."
    )
    description: str = ""


class PricesOptions(Strict):
    caution_below: float = Field(
        0.6,
        gt=0,
        lt=1,
        description="Listings priced under this share of the latest value show a caution.",
    )
    method: Method = Field(default_factory=Method)
    series: list[Series] = Field(default_factory=list)

    def method_of(self, series: Series) -> Method:
        """The section's method with what the series overrides."""
        return Method.model_validate({**self.method.model_dump(), **series.method})

    def check(self, industry: "Industry") -> None:
        """Every series names a category, unit, currency, region and incoterm of the file."""
        categories = {c.key for c in industry.categories()}
        units = {u.code for u in industry.units}
        regions = {r.code for r in industry.regions}
        incoterms = {code for code, _ in INCOTERMS}
        seen: set[str] = set()
        for series in self.series:
            where = f"series {series.slug!r}"
            if series.slug in seen:
                raise ValueError(f"{where} appears twice; each slug must be unique")
            seen.add(series.slug)
            if series.category not in categories:
                raise ValueError(f"{where}: {series.category!r} is not a category of the taxonomy")
            if series.unit not in units:
                raise ValueError(
                    f"{where}: {series.unit!r} is not one of the units {sorted(units)}"
                )
            if series.currency not in industry.currencies:
                known = industry.currencies
                raise ValueError(
                    f"{where}: {series.currency!r} is not one of the currencies {known}"
                )
            if series.region and series.region not in regions:
                raise ValueError(
                    f"{where}: {series.region!r} is not one of the regions {sorted(regions)}"
                )
            if series.incoterm and series.incoterm not in incoterms:
                raise ValueError(f"{where}: {series.incoterm!r} is not an incoterm")
            self.method_of(series)
