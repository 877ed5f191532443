"""Form widgets rendered once per process, then reused.

Django renders each form widget through its template engine, which is most of what showing a
form costs (the inquiry form on every listing page, on the live site and in every static
build). A widget's HTML depends on nothing but its template and its context (name, value,
attributes, choices), so widgets are kept by those and the active language: the same widget
is rendered once and its HTML reused; a widget with another value or attribute (a start
token, a visitor's input, an error) is rendered on its own. Contexts holding anything but
plain values (a bound form, a model instance) are never kept, and what is kept is bounded in
size, so visitors' input cannot grow a process's memory.
"""

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.translation import get_language

KEPT_CHARACTERS = 4_000_000  # HTML kept per process; all of it is dropped past this
PLAIN = (str, int, float, bool, type(None), Decimal, date, time, timedelta)

_kept: dict[Any, str] = {}
_kept_size = 0


class NotPlain(Exception):
    pass


def frozen(value: Any) -> Any:
    """A hashable copy of ``value`` that tells apart what renders differently (the type is
    kept: ``True`` and ``1``, or safe and plain strings, do not render alike)."""
    if isinstance(value, PLAIN):
        return (type(value), value)
    if isinstance(value, Promise):  # a lazy translation renders as the string it makes
        return (str, str(value))
    if isinstance(value, dict):  # in order: attributes render in the order they were added
        return (dict, tuple((key, frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return (type(value), tuple(frozen(item) for item in value))
    if type(value).__name__ == "ModelChoiceIteratorValue":  # a choice renders as str(value)
        return (str, str(value))
    raise NotPlain(type(value).__name__)


def forget() -> None:
    """Drop every kept widget (a build starts with none)."""
    global _kept_size
    _kept.clear()
    _kept_size = 0


class KeptWidgetsRenderer(DjangoTemplates):
    """Django's default form renderer, keeping what it rendered from plain contexts."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        global _kept_size
        if request is not None:
            return super().render(template_name, context, request)
        try:
            key = (template_name, get_language(), frozen(context))
        except NotPlain:
            return super().render(template_name, context, request)
        html = _kept.get(key)
        if html is None:
            html = super().render(template_name, context, request)
            if _kept_size + len(html) > KEPT_CHARACTERS:
                forget()
            _kept[key] = html
            _kept_size += len(html)
        return html
