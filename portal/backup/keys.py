"""The keys of restored rows: archive key → key here, per table, and the references that can
only be set once the row they point to exists (a page's latest revision, a category's parent
listed after it, a link in an article's body to a page further down the tree)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from wagtail.fields import RichTextField, StreamField

from .references import base_label, walk


@dataclass(frozen=True)
class Fixup:
    model: type[models.Model]
    pk: Any
    attname: str
    label: str
    key: Any


class KeyMap:
    def __init__(self, pending: Iterable[str] = ()):
        self._keys: dict[str, dict[str, Any]] = {}
        self.pending = set(pending)  # tables not restored yet: references to them wait
        self.fixups: list[Fixup] = []
        self.revisits: list[tuple[type[models.Model], Any, dict[str, Any]]] = []
        self.missed = False  # whether a reference to a table not restored yet was asked for

    def __call__(self, label: str, key: Any) -> Any:
        """The key here of the archive's ``key`` in the table ``label``; None if unknown."""
        if key is None:
            return None
        found = self._keys.get(label, {}).get(str(key))
        if found is None and label in self.pending:
            self.missed = True
        return found

    def set(self, label: str, key: Any, new_key: Any) -> None:
        self._keys.setdefault(label, {})[str(key)] = new_key

    def waiting(
        self, model: type[models.Model], archived: dict[str, Any], resolved: dict[str, Any]
    ) -> list[tuple[models.Field, str, Any]]:
        """Foreign keys of a record that point to rows not restored yet: (field, label, key).
        A required one that can never be resolved stops the restore."""
        from .archive import BackupError

        waiting = []
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.primary_key or field.name not in archived:
                continue
            key = archived[field.name]
            if key is None or resolved.get(field.name) is not None:
                continue
            label = base_label(field.related_model)
            if label in self.pending and field.null:
                waiting.append((field, label, key))
            elif not field.null:
                raise BackupError(
                    f"{model._meta.label_lower}: {field.name} refers to {label} {key}, "
                    "which is not in the archive"
                )
        return waiting

    def wait(self, pk: Any, waiting: list[tuple[models.Field, str, Any]]) -> None:
        """Set these references of the row ``pk`` once every table is restored."""
        self.fixups += [Fixup(f.model, pk, f.attname, label, key) for f, label, key in waiting]

    def revisit(self, model: type[models.Model], pk: Any, archived: dict[str, Any]) -> None:
        """Walk the row's text fields (stream, rich text) again once every table is restored:
        they may link to rows restored after it."""
        self.revisits.append((model, pk, archived))

    def apply_fixups(self) -> None:
        for fixup in self.fixups:
            value = self(fixup.label, fixup.key)
            if value is not None:
                fixup.model._base_manager.filter(pk=fixup.pk).update(**{fixup.attname: value})
        for model, pk, archived in self.revisits:
            text = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, RichTextField | StreamField) and field.name in archived
            ]
            values = walk(model, {field.name: archived[field.name] for field in text}, self)
            for field in text:
                field.model._base_manager.filter(pk=pk).update(
                    **{field.attname: field.to_python(values[field.name])}
                )
        self.fixups, self.revisits = [], []
