"""Where a serialized object refers to other objects, and how to change those references.

Records in an archive keep the primary keys of the install they came from. Every reference is
reached by one walk over a model's fields: foreign keys, many-to-many lists, child relations
(modelcluster's, as in page data and revisions), ids inside StreamField blocks (choosers) and
inside rich text (``<a linktype="page" id=…>``, ``<embed embedtype="image" id=…/>``), and
keys inside JSON fields where a model declares them (``BACKUP_JSON_KEYS``). The walk
calls ``resolve(model label, key)`` for each one: exporting uses it to find what else to take
along, importing to put in the keys of the new rows.
"""

import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import escape
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, TagRewriter

# (label of the referenced model, key in the archive) -> key here, or None when unknown.
Resolve = Callable[[str, Any], Any]


def base_label(model: type[models.Model]) -> str:
    """The label of the table a model's primary keys come from: ``wagtailcore.page`` for every
    page type, ``wagtailcore.task`` for every task type."""
    parents = model._meta.concrete_model._meta.get_parent_list()
    return (parents[-1] if parents else model._meta.concrete_model)._meta.label_lower


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def generic_target(model: type[models.Model], fields: dict[str, Any]) -> str | None:
    """For a row that names its object by ``base_content_type`` and ``object_id`` (revisions,
    workflow states), the label of the object's table; the content type is already resolved."""
    if "object_id" not in fields or not fields.get("base_content_type"):
        return None
    content_type = ContentType.objects.get_for_id(fields["base_content_type"])
    return base_label(content_type.model_class())


def walk(model: type[models.Model], fields: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """A copy of ``fields`` (a record of ``model``, keyed by field name) with every reference
    replaced by what ``resolve`` gives; unresolved many-to-many and child entries are left out."""
    result = dict(fields)
    if "pk" in fields:  # page data and revision content name their own row
        result["pk"] = resolve(base_label(model), fields["pk"])
    for name, value in fields.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        result[name] = _walk_field(field, value, resolve)
    for name, labels in getattr(model, "BACKUP_JSON_KEYS", {}).items():
        if result.get(name) is not None:
            result[name] = _walk_json(result[name], labels, resolve)
    return result


def _walk_json(value: Any, labels: Any, resolve: Resolve) -> Any:
    """Keys of other rows inside a JSON field, as the model declares them in
    ``BACKUP_JSON_KEYS``: ``{"field": "core.region"}`` (a key or a list of keys), or
    ``{"field": {"entry": "core.category"}}`` for the entries of a JSON object."""
    if isinstance(labels, dict):
        return {
            entry: _walk_json(item, labels[entry], resolve) if entry in labels else item
            for entry, item in value.items()
        }
    if isinstance(value, list):
        return [key for key in (resolve(labels, item) for item in value) if key is not None]
    return None if value is None else resolve(labels, value)


def _walk_field(field: Any, value: Any, resolve: Resolve) -> Any:
    if value is None:
        return None
    if isinstance(field, models.ManyToManyField):
        label = base_label(field.related_model)
        return [key for key in (resolve(label, item) for item in value) if key is not None]
    if isinstance(field, models.ForeignKey):  # one-to-one keys too
        return resolve(base_label(field.related_model), value)
    if field.one_to_many and isinstance(getattr(field, "remote_field", None), ParentalKey):
        return [walk(field.related_model, child, resolve) for child in value]
    if isinstance(field, StreamField):
        return _walk_stream(field.stream_block, value, resolve)
    if isinstance(field, RichTextField):
        return rewrite_rich_text(value, resolve)
    return value


def _walk_stream(stream_block: blocks.StreamBlock, value: Any, resolve: Resolve) -> Any:
    """Stream data is kept as its JSON text (as Wagtail serializes it) or as a list."""
    if isinstance(value, str):
        if not value.strip():
            return value
        return json.dumps(_walk_block(stream_block, json.loads(value), resolve))
    return _walk_block(stream_block, value, resolve)


def _walk_block(block: blocks.Block, value: Any, resolve: Resolve) -> Any:
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        children = block.child_blocks
        return [
            {**item, "value": _walk_block(children[item["type"]], item.get("value"), resolve)}
            if isinstance(item, dict) and item.get("type") in children
            else item
            for item in value
        ]
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": _walk_block(block.child_block, item.get("value"), resolve)}
            if isinstance(item, dict) and item.get("type") == "item"
            else _walk_block(block.child_block, item, resolve)
            for item in value
        ]
    if isinstance(block, ImageBlock) and not isinstance(value, dict):
        return _walk_block(block.child_blocks["image"], value, resolve)  # an older plain id
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {
            name: _walk_block(block.child_blocks[name], item, resolve)
            if name in block.child_blocks
            else item
            for name, item in value.items()
        }
    if isinstance(block, blocks.ChooserBlock):
        return resolve(base_label(block.target_model), value)
    if isinstance(block, blocks.RichTextBlock) and isinstance(value, str):
        return rewrite_rich_text(value, resolve)
    return value


class _IdRewriter(TagRewriter):
    """Puts resolved ids into rich-text tags of the known types and leaves the rest alone.
    A tag whose object is unknown loses its reference (a link keeps its text)."""

    def __init__(self, pattern, type_attribute: str, targets: dict[str, str], resolve: Resolve):
        super().__init__()
        self.pattern, self.type_attribute = pattern, type_attribute
        self.targets, self.resolve = targets, resolve

    def get_opening_tag_regex(self):
        return self.pattern

    def get_tag_type_from_attrs(self, attrs: dict[str, str]) -> str | None:
        return attrs.get(self.type_attribute)

    def get_tag_replacements(self, tag_type: str | None, attrs_list: list[dict]) -> list[str]:
        label = self.targets.get(tag_type or "")
        if label is None:
            return []
        return [self._tag(attrs, label) for attrs in attrs_list]

    def _tag(self, attrs: dict[str, str], label: str) -> str:
        embed = self.pattern is FIND_EMBED_TAG
        key = self.resolve(label, _as_key(attrs.get("id")))
        if key is None:
            return "" if embed else "<a>"
        rendered = "".join(
            f' {name}="{escape(str(key) if name == "id" else value)}"'
            for name, value in attrs.items()
        )
        return f"<embed{rendered}/>" if embed else f"<a{rendered}>"


def _as_key(value: str | None) -> Any:
    return int(value) if value and value.isdigit() else value


def rewrite_rich_text(html: str, resolve: Resolve) -> str:
    links = {
        "page": "wagtailcore.page",
        "document": get_document_model()._meta.label_lower,
    }
    embeds = {"image": base_label(get_image_model())}
    html = _IdRewriter(FIND_A_TAG, "linktype", links, resolve)(html)
    return _IdRewriter(FIND_EMBED_TAG, "embedtype", embeds, resolve)(html)
