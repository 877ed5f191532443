"""The columns of a listings file, named after the posting form's fields, and the portal's
choices for them (kinds, categories, regions, units, currencies, incoterms)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django import forms

from portal.board.forms import LISTING_FORMS
from portal.board.models import TradeListingPage
from portal.core.models import PortalSettings

KIND = "kind"


def listing_columns() -> list[str]:
    """``kind``, then every field of the posting forms, in the forms' order."""
    names = [KIND]
    for form_class in LISTING_FORMS.values():
        names += [name for name in form_class._meta.fields if name not in names]
    return names


def kind_columns(kind: str) -> list[str]:
    """The columns a listing of ``kind`` reads (the fields of its form)."""
    return list(LISTING_FORMS[kind]._meta.fields)


@dataclass(frozen=True)
class Choice:
    """One value a choice column takes: ``value`` is what a file writes, ``form_value`` what
    the posting form reads, ``aliases`` what else a file may write for it (any case)."""

    column: str
    value: str
    label: str
    form_value: str
    aliases: tuple[str, ...] = ()


def portal_choices(portal: PortalSettings) -> list[Choice]:
    """Every choice of ``portal``'s posting forms, each once, kinds first."""
    found = {
        (KIND, code): Choice(KIND, code, label, code, (label,))
        for code, label in TradeListingPage.KIND_CHOICES
    }
    for form_class in LISTING_FORMS.values():
        for choice in form_choices(form_class(portal=portal)):
            found.setdefault((choice.column, choice.value), choice)
    return list(found.values())


def form_choices(form: forms.Form) -> Iterator[Choice]:
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            items = list(field.queryset)
            names = [getattr(item, "name", "").casefold() for item in items]
            for item in items:
                own = getattr(item, "name", "")
                unique = own and names.count(own.casefold()) == 1
                yield Choice(
                    name, _file_value(item), str(item), str(item.pk), (own,) if unique else ()
                )
        elif isinstance(field, forms.ChoiceField):
            for value, label in field.choices:
                if value not in ("", None):
                    yield Choice(name, str(value), str(label), str(value))


def _file_value(item) -> str:
    """How a file names a category (its slug) or a region (its code)."""
    return str(getattr(item, "slug", None) or getattr(item, "code", None) or item.pk)


class Lookup:
    """The form value each text a file may write in a choice column stands for."""

    def __init__(self, choices: list[Choice]) -> None:
        self.values: dict[str, dict[str, str]] = {}
        for choice in choices:
            mapping = self.values.setdefault(choice.column, {})
            for text in (choice.value, choice.label, *choice.aliases):
                mapping.setdefault(text.casefold(), choice.form_value)

    def __contains__(self, column: str) -> bool:
        return column in self.values

    def find(self, column: str, text: str) -> str | None:
        """The form value ``text`` stands for in ``column``, or None if it is not a choice."""
        return self.values[column].get(text.casefold())
