"""Products files: the columns of a member's catalogue upload (the product form's fields),
its template with the portal's choices, each row checked with the product form's rules, and
the member's products as a sheet in the same columns (so a download can be uploaded again)."""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Model

from portal.catalogue import lifecycle
from portal.catalogue.forms import PRODUCT_FIELDS, ProductForm, specification_text
from portal.catalogue.models import ProductPage
from portal.core.models import PortalSettings
from portal.members.models import Membership

from .columns import Choice, Lookup, form_choices
from .reading import Table
from .spreadsheets import Sheet
from .validation import (
    HEADINGS_ROW,
    RowError,
    form_data,
    form_errors,
    known_value,
    model_choices,
    unknown_columns,
)

SHEET = "Products"
IGNORED = ("id", "status")  # what a download adds before the columns; ignored on upload
ALREADY_LISTED = "Your catalogue already has a product of this name; edit it instead."
SAME_AS = "The same product name as row"

Known = dict[str, dict[str, Model]]


def product_columns() -> list[str]:
    """The columns of a products file: the product form's fields, in its order."""
    return list(PRODUCT_FIELDS)


def product_choices(portal: PortalSettings) -> list[Choice]:
    """The values of the choice columns (category, unit, currency) on ``portal``."""
    return list(form_choices(ProductForm(portal=portal)))


@dataclass
class CheckedProducts:
    """The products a file would add (row number, unsaved page), or why it adds none."""

    products: list[tuple[int, ProductPage]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ProductImportForm(ProductForm):
    """The product form for a row of a file: its choices answered from ``known``, loaded
    once for the whole file."""

    def __init__(self, *args: Any, known: Known, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, objects in known.items():
            self.fields[name].to_python = partial(known_value, self.fields[name], objects)
        self.known = known

    def _get_validation_exclusions(self) -> set[str]:
        return {*super()._get_validation_exclusions(), *self.known}  # they exist: just loaded


def known_choices(portal: PortalSettings) -> Known:
    """The objects of the product form's model choices (its categories), by primary key."""
    return model_choices(ProductForm(portal=portal))


def check_products(table: Table, portal: PortalSettings, membership: Membership) -> CheckedProducts:
    """Every row of ``table`` checked as the product form checks a product; none is kept
    when any row has a mistake."""
    checked = CheckedProducts(errors=_heading_errors(table.columns))
    if checked.errors:
        return checked
    lookup = Lookup(product_choices(portal))
    known = known_choices(portal)
    listed = {
        title.casefold()
        for title in lifecycle.own_products(membership)
        .filter(withdrawn_on__isnull=True)
        .values_list("title", flat=True)
    }
    first_rows: dict[str, int] = {}
    for row in table.rows:
        errors, page = _check_row(row.number, row.values, lookup, portal, known)
        if page is not None:
            name = page.title.casefold()
            if name in listed:
                errors.append(RowError(row.number, "title", ALREADY_LISTED))
            elif name in first_rows:
                errors.append(RowError(row.number, "title", f"{SAME_AS} {first_rows[name]}."))
            first_rows.setdefault(name, row.number)
            checked.products.append((row.number, page))
        checked.errors += errors
    if checked.errors:
        checked.products = []
    return checked


def _heading_errors(columns: list[str]) -> list[RowError]:
    errors = unknown_columns(columns, [*product_columns(), *IGNORED])
    if "title" not in columns:
        errors.append(RowError(HEADINGS_ROW, "title", "The file needs a “title” column."))
    return errors


def _check_row(
    number: int, values: dict[str, str], lookup: Lookup, portal: PortalSettings, known: Known
) -> tuple[list[RowError], ProductPage | None]:
    """The errors of one row, and its product if it has none."""
    data, unknown = form_data(number, values, product_columns(), lookup)
    form = ProductImportForm(data, portal=portal, known=known)
    if form.is_valid() and not unknown:
        return [], form.instance
    return unknown + form_errors(number, form, unknown), None


def template_sheets(portal: PortalSettings) -> list[Sheet]:
    """An empty products sheet, and the portal's choices for its choice columns."""
    return [
        Sheet(SHEET, product_columns(), []),
        Sheet(
            "Choices",
            ["column", "value", "meaning"],
            [(c.column, c.value, c.label) for c in product_choices(portal)],
        ),
    ]


def products_sheet(membership: Membership) -> Sheet:
    """The member's company's products on this portal, their id and status first, then the
    columns of a products file."""
    products = list(
        lifecycle.own_products(membership)
        .select_related("category")
        .order_by("-latest_revision_created_at", "-pk")
    )
    status = lifecycle.statuses(products)
    columns = product_columns()
    return Sheet(
        SHEET,
        [*IGNORED, *columns],
        [(page.pk, status[page.pk].label, *product_values(page, columns)) for page in products],
    )


def product_values(page: ProductPage, columns: list[str]) -> list[object]:
    """A product's cells in ``columns``, as a products file writes them."""
    cells: list[object] = []
    for name in columns:
        if name == "category":
            cells.append(page.category.slug)
        elif name == "specification":
            cells.append(specification_text(page.specification))
        else:
            cells.append(getattr(page, name))
    return cells
