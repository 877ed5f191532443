"""Fragments every page of a build shows alike, rendered once per build process.

Form widgets are rendered through Django's template engine, which is what makes a form
costly to show (an inquiry form on each of thousands of listings). A widget's HTML depends on
nothing but its template and its context (name, value, attributes, choices), so while a build
renders, widgets are kept by those: the same widget is rendered once, its HTML reused, and a
widget with another value or attribute (a start token, an error) is rendered on its own.
Contexts holding anything but plain values (a bound form, a model instance) are not kept.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.test.utils import override_settings
from django.utils.functional import Promise

KEPT_AT_MOST = 10_000
PLAIN = (str, int, float, bool, type(None), Decimal, date, time, timedelta)

_kept: dict[Any, str] = {}


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


class SharedFormRenderer(DjangoTemplates):
    """Django's default form renderer, keeping what it rendered from plain contexts."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        if request is not None:
            return super().render(template_name, context, request)
        try:
            key = (template_name, frozen(context))
        except NotPlain:
            return super().render(template_name, context, request)
        html = _kept.get(key)
        if html is None:
            html = super().render(template_name, context, request)
            if len(_kept) >= KEPT_AT_MOST:
                _kept.clear()
            _kept[key] = html
        return html


@contextmanager
def shared_fragments() -> Iterator[None]:
    """Forms made meanwhile render their widgets through ``SharedFormRenderer``."""
    from django.conf import settings

    if getattr(settings, "FORM_RENDERER", "") != "django.forms.renderers.DjangoTemplates":
        yield  # another renderer was chosen: leave it be
        return
    _kept.clear()
    try:
        with override_settings(FORM_RENDERER=f"{__name__}.SharedFormRenderer"):
            yield
    finally:
        _kept.clear()
