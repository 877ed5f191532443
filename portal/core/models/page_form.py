"""Admin page form that keeps every choice inside the page's own portal."""

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue, StructValue
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Page, Site

from ..text import refuse_control_characters
from .settings import PortalSettings


class PortalPageForm(WagtailAdminPageForm):
    """Limits every choice on a page to the page's portal.

    - a model with a ``site`` foreign key (categories, regions): this portal's, active ones,
      plus whatever the page already uses (a retired category stays valid on old pages);
    - pages (e.g. the company of a listing): pages under this portal's root;
    - images and documents: this portal's media collection (in StreamFields too);
    - units and currencies: the portal settings' lists.
    """

    choice_settings = {"unit": "unit_choices", "currency": "currency_choices"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.portal_site = self._portal_site()
        if self.portal_site is None:
            return
        self.portal_settings = PortalSettings.for_site(self.portal_site)
        self.media_collections = self._media_collections()
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = self._limit(name, queryset)
        self._limit_setting_choices()

    def _portal_site(self) -> Site | None:
        page = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        return page.get_site() if page is not None and page.pk else None

    def _media_collections(self) -> list[int] | None:
        collection = self.portal_settings.collection
        if collection is None:
            return None
        return list(
            Collection.objects.descendant_of(collection, inclusive=True).values_list(
                "pk", flat=True
            )
        )

    def _current_ids(self, name: str) -> list[Any]:
        initial = self.initial.get(name)
        if initial is None:
            return []
        if isinstance(initial, models.QuerySet):  # a many-to-many field's current rows
            return list(initial.values_list("pk", flat=True))
        values = initial if isinstance(initial, list | tuple | set) else [initial]
        return [getattr(value, "pk", value) for value in values]

    def _limit(self, name: str, queryset):
        model = queryset.model
        field_names = {f.name for f in model._meta.get_fields()}
        if "site" in field_names:
            queryset = queryset.filter(site=self.portal_site)
            if "is_active" in field_names:
                queryset = queryset.filter(Q(is_active=True) | Q(pk__in=self._current_ids(name)))
            return queryset
        if issubclass(model, Page):
            return queryset.descendant_of(self.portal_site.root_page)
        if issubclass(model, AbstractImage | AbstractDocument) and self.media_collections:
            return queryset.filter(collection__in=self.media_collections)
        return queryset

    def _limit_setting_choices(self) -> None:
        settings = self.portal_settings
        for name, method in self.choice_settings.items():
            if name not in self.fields:
                continue
            choices = getattr(settings, method)()
            current = getattr(self.instance, name, "")
            if current and current not in dict(choices):
                choices.append((current, f"{current} (no longer offered)"))
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(
                choices=[("", "---------"), *choices],
                required=field.required,
                label=field.label,
                help_text=field.help_text,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_control_characters(self, cleaned)
        if self.portal_site is None:
            return cleaned
        if "valid_until" in self.fields and not cleaned.get("valid_until"):
            cleaned["valid_until"] = self.instance.default_valid_until(self.portal_settings)
        if not self.media_collections:
            return cleaned
        for name, value in cleaned.items():
            if isinstance(value, StreamValue) and any(
                media.collection_id not in self.media_collections for media in _media_in(value)
            ):
                self.add_error(
                    name,
                    ValidationError("Use images and documents from this portal's own collection."),
                )
        return cleaned


def _media_in(value: Any) -> Iterator[AbstractImage | AbstractDocument]:
    """Every image or document inside a StreamField value, however deeply nested."""
    if isinstance(value, AbstractImage | AbstractDocument):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _media_in(child.value)
    elif isinstance(value, StructValue | dict):
        for item in value.values():
            yield from _media_in(item)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for item in value:
            yield from _media_in(item)
