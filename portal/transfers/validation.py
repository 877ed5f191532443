"""Checking each row of a listings file with the posting form's own rules, and the board's
duplicate check; what is wrong is reported by row and column."""

from dataclasses import dataclass, field
from functools import cache, partial

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm, ModelChoiceField

from portal.board import lifecycle
from portal.board.forms import LISTING_FORMS, ListingForm
from portal.board.models import TradeListingPage
from portal.core.models import PortalSettings
from portal.defences.forms import PlainTextMixin
from portal.members.models import Membership

from .columns import KIND, Lookup, kind_columns, listing_columns, portal_choices
from .reading import Table

WHOLE_ROW = ""  # the column of an error about the row as a whole
HEADINGS_ROW = 1
ALREADY_POSTED = "You already posted this listing. Renew or edit it from your dashboard instead."
SAME_AS = "The same listing as row"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Checked:
    """The listings a file would add (row number, unsaved page), or why it adds none."""

    listings: list[tuple[int, TradeListingPage]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


Known = dict[str, dict[str, Model]]  # a choice column's objects by form value (their pk)


@cache
def import_form(kind: str) -> type[ListingForm]:
    """The posting form of ``kind`` for a row of a file: every rule of the form but the
    human check (honeypot, fill time, one-time token), which is for forms typed in a browser;
    the upload itself is a member's signed-in, CSRF-checked and rate-limited request.

    Its category and region are picked from ``known`` (``known_choices``), loaded once for
    the whole file, rather than looked up and checked again row by row."""
    base = LISTING_FORMS[kind]

    def __init__(self, *args, known: Known, **kwargs) -> None:
        base.__init__(self, *args, **kwargs)
        for name in ("website", "started"):
            self.fields.pop(name, None)
        for name, objects in known.items():
            self.fields[name].to_python = partial(known_value, self.fields[name], objects)
        self.known = known

    def clean(self) -> dict:
        return PlainTextMixin.clean(self)  # the form's own checks, skipping HumanCheckMixin

    def _get_validation_exclusions(self) -> set[str]:
        return {*base._get_validation_exclusions(self), *self.known}  # they exist: just loaded

    @classmethod
    def start_token(cls) -> str:
        return ""  # no fill time to measure

    return type(
        f"Import{base.__name__}",
        (base,),
        {
            "__init__": __init__,
            "clean": clean,
            "_get_validation_exclusions": _get_validation_exclusions,
            "start_token": start_token,
        },
    )


def model_choices(form: BaseForm) -> Known:
    """The objects of ``form``'s model choice fields, by field and primary key."""
    return {
        name: {str(item.pk): item for item in field.queryset}
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    }


def known_choices(portal: PortalSettings) -> dict[str, Known]:
    """Per kind, the objects of the posting form's model choices (category, region)."""
    return {
        kind: model_choices(form_class(portal=portal)) for kind, form_class in LISTING_FORMS.items()
    }


def known_value(field: ModelChoiceField, objects: dict[str, Model], value: object) -> Model | None:
    """``ModelChoiceField.to_python`` answered from ``objects``."""
    if value in field.empty_values:
        return None
    found = objects.get(str(value))
    if found is None:
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
    return found


def check_table(table: Table, portal: PortalSettings, membership: Membership) -> Checked:
    """Every row of ``table`` checked as the posting form of its kind checks a listing."""
    checked = Checked(errors=_heading_errors(table.columns))
    if checked.errors:
        return checked
    lookup = Lookup(portal_choices(portal))
    known = known_choices(portal)
    posted = lifecycle.recent_keys(membership)  # the board's duplicate rule, one query
    first_rows: dict[str, int] = {}
    for row in table.rows:
        errors, page = _check_row(row.number, row.values, lookup, portal, known)
        if page is not None:
            key = lifecycle.listing_key(page)
            if lifecycle.is_duplicate(membership, page, posted):
                errors.append(RowError(row.number, WHOLE_ROW, ALREADY_POSTED))
            elif key in first_rows:
                errors.append(RowError(row.number, WHOLE_ROW, f"{SAME_AS} {first_rows[key]}."))
            first_rows.setdefault(key, row.number)
            checked.listings.append((row.number, page))
        checked.errors += errors
    if checked.errors:
        checked.listings = []
    return checked


def unknown_columns(columns: list[str], known: list[str]) -> list[RowError]:
    """An error for each of the file's ``columns`` not ``known``."""
    return [
        RowError(HEADINGS_ROW, name, "Unknown column; the template names the columns to use.")
        for name in columns
        if name not in known
    ]


def _heading_errors(columns: list[str]) -> list[RowError]:
    errors = unknown_columns(columns, listing_columns())
    if KIND not in columns:
        errors.append(RowError(HEADINGS_ROW, KIND, "The file needs a “kind” column."))
    return errors


def _check_row(
    number: int,
    values: dict[str, str],
    lookup: Lookup,
    portal: PortalSettings,
    known: dict[str, Known],
) -> tuple[list[RowError], TradeListingPage | None]:
    """The errors of one row, and its listing if it has none."""
    kind = lookup.find(KIND, values.get(KIND, ""))
    if kind is None:
        return [
            RowError(number, KIND, "Write “sell” (a sell offer) or “buy” (a buy request).")
        ], None
    columns = kind_columns(kind)
    errors = [
        RowError(number, name, f"A {_noun(kind)} has no {name}; leave it empty.")
        for name, text in values.items()
        if text and name != KIND and name not in columns
    ]
    data, unknown = form_data(number, values, columns, lookup)
    errors += unknown
    form = import_form(kind)(data, portal=portal, known=known[kind])
    if form.is_valid() and not errors:
        form.instance.kind = kind
        return [], form.instance
    return errors + form_errors(number, form, unknown), None


def form_data(
    number: int, values: dict[str, str], columns: list[str], lookup: Lookup
) -> tuple[dict[str, str], list[RowError]]:
    """The form data of a row's ``columns`` (choices given by name or label made the form's
    values), and an error for each choice this portal does not have."""
    data, unknown = {}, []
    for name in columns:
        text = values.get(name, "")
        if text and name in lookup:
            value = lookup.find(name, text)
            if value is None:
                unknown.append(
                    RowError(
                        number,
                        name,
                        f"“{text}” is not one of this portal's {name} values; "
                        "see the choices in the template.",
                    )
                )
            text = value or ""
        data[name] = text
    return data, unknown


def form_errors(number: int, form: BaseForm, reported: list[RowError]) -> list[RowError]:
    """The errors of a row's bound ``form``, but for the columns already ``reported``."""
    skipped = {error.column for error in reported}  # already reported, more plainly
    errors = []
    for name, messages in form.errors.items():
        if name not in skipped:
            column = WHOLE_ROW if name == "__all__" else name
            errors += [RowError(number, column, message) for message in messages]
    return errors


def _noun(kind: str) -> str:
    return LISTING_FORMS[kind]._meta.model._meta.verbose_name
