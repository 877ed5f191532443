"""How each record of an archive becomes a row here, with new keys.

Most rows go through Django's deserializer (``save()`` with ``raw=True``, as ``loaddata`` saves
them: timestamps and other set-on-save values are kept as recorded). Pages and collections are
added to their tree through treebeard's ``add_child``; objects the archive only identifies
(content types, permissions, locales, tags, people) are looked up here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.db import models
from taggit.models import Tag
from wagtail.models import Collection, Locale, Page, Revision, Site
from wagtail.users.models import UserProfile

from .archive import Archive, BackupError
from .keys import KeyMap
from .references import base_label, generic_target, walk


@dataclass
class Restore:
    """What a restore needs as it goes: the archive, the keys so far, the files written."""

    archive: Archive
    keys: KeyMap
    written: list[tuple[Any, str]] = field(default_factory=list)  # (storage, name)

    def store(self, file_field: models.FileField, name: str) -> str:
        """Write a media file from the archive; its name here (the storage may change it)."""
        if name not in self.archive.listed_media:
            return name  # missing where the archive was made: kept as a broken reference
        storage = file_field.storage
        stored = storage.save(name, ContentFile(self.archive.media(name)))
        self.written.append((storage, stored))
        return stored

    def remove_written(self) -> None:
        for storage, name in self.written:
            storage.delete(name)
        self.written = []


Saver = Callable[[Restore, type[models.Model], dict[str, Any]], None]


def save_record(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    """A row of ``model`` from its record, its references made to point at rows here."""
    keys = restore.keys
    archived = record["fields"]
    fields = walk(model, archived, keys)
    if (target := generic_target(model, fields)) is not None:
        object_id = keys(target, archived["object_id"])
        if object_id is None:
            return  # its object is not part of the portal
        fields["object_id"] = str(object_id)
    if issubclass(model, Revision) and isinstance(fields.get("content"), dict):
        content_model = ContentType.objects.get_for_id(fields["content_type"]).model_class()
        fields["content"] = walk(content_model, archived["content"], keys)
    existing = _existing(model, fields)
    if existing is not None:
        keys.set(base_label(model), record["pk"], existing)
        return
    pk_field = model._meta.pk
    pk = None
    if pk_field.is_relation:  # a subclass's own row, or a row keyed by what it belongs to
        pk = keys(base_label(pk_field.related_model), record["pk"])
        if pk is None:
            return
    for file_field in model._meta.fields:
        if isinstance(file_field, models.FileField) and fields.get(file_field.name):
            fields[file_field.name] = restore.store(file_field, fields[file_field.name])
    waiting = keys.waiting(model, archived, fields)
    label = model._meta.label_lower
    (row,) = serializers.deserialize(
        "python", [{"model": label, "pk": pk, "fields": fields}], ignorenonexistent=True
    )
    row.save()
    keys.set(base_label(model), record["pk"], row.object.pk)
    keys.wait(row.object.pk, waiting)


# Rows that may already be there for a person who already has an account: kept as they are.
KEPT_IF_PRESENT = {
    EmailAddress: ("user", "email"),
    UserProfile: ("user",),
}


def _existing(model: type[models.Model], fields: dict[str, Any]) -> Any:
    names = KEPT_IF_PRESENT.get(model)
    if names is None:
        return None
    lookup = {f"{model._meta.get_field(n).attname}": fields.get(n) for n in names}
    return model._default_manager.filter(**lookup).values_list("pk", flat=True).first()


def save_page(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    """A page, added below its restored parent (the tree's root for the home page).

    The record is Wagtail's own serialization of the page (as in revisions), so the page is
    rebuilt with ``from_serializable_data`` and added with treebeard's ``add_child``, saved
    without validation and without a creation log entry: the content was validated where it
    was made, and rules that depend on the day (dates not in the past) must not refuse a
    faithful copy; the page's history comes from the archive.
    """
    keys = restore.keys
    archived = record["fields"]
    content_type = keys(base_label(ContentType), archived["content_type"])
    model = ContentType.objects.get_for_id(content_type).model_class()  # the page's own type
    keys.missed = False
    data = walk(model, archived, keys)
    revisit = keys.missed
    waiting = keys.waiting(model, archived, data)
    data.update(pk=None, numchild=0, wagtail_admin_comments=[])
    page = model.from_serializable_data(data, check_fks=False)
    parent_key = record.get("parent")
    if parent_key is None:
        parent = Page.get_first_root_node()
    else:
        parent = Page.objects.get(pk=keys("wagtailcore.page", parent_key))
    page.save = partial(type(page).save, page, clean=False, log_action=None)
    try:
        parent.add_child(instance=page)
    finally:
        del page.save
    keys.set("wagtailcore.page", record["pk"], page.pk)
    keys.wait(page.pk, waiting)
    if revisit:
        keys.revisit(model, page.pk, archived)


def save_collection(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    parent_key = record.get("parent")
    if parent_key is None:
        parent = Collection.get_first_root_node()
    else:
        parent = Collection.objects.get(pk=restore.keys(base_label(model), parent_key))
    collection = parent.add_child(name=record["fields"]["name"])
    restore.keys.set(base_label(model), record["pk"], collection.pk)


def save_user(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    """A person: the account here with the same username, else the same email address; a new
    account only for members restored with their portal."""
    fields = record["fields"]
    users = get_user_model()
    user = users.objects.filter(**{users.USERNAME_FIELD: fields.get(users.USERNAME_FIELD)}).first()
    if user is None and fields.get("email"):
        same_email = list(users.objects.filter(email__iexact=fields["email"])[:2])
        user = same_email[0] if len(same_email) == 1 else None
    if user is None:
        if not record.get("identity"):
            save_record(restore, model, record)
        return
    restore.keys.set(base_label(model), record["pk"], user.pk)
    if not record.get("identity"):
        groups = [restore.keys(base_label(Group), pk) for pk in fields.get("groups", [])]
        user.groups.add(*[pk for pk in groups if pk is not None])


def save_group(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    """The portal's groups: one of the same name here (no other portal's, as checked before
    the restore) takes the archive's permissions; otherwise a new one."""
    group = Group.objects.filter(name=record["fields"]["name"]).first()
    if group is None:
        save_record(restore, model, record)
        return
    restore.keys.set(base_label(model), record["pk"], group.pk)
    permissions = walk(model, record["fields"], restore.keys).get("permissions", [])
    group.permissions.add(*permissions)


def save_site(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
    """The portal's site; the install's default site stays the default."""
    fields = record["fields"]
    if fields.get("is_default_site") and Site.objects.filter(is_default_site=True).exists():
        record = {**record, "fields": {**fields, "is_default_site": False}}
    save_record(restore, model, record)


def _identity(lookup: Callable[[dict[str, Any], KeyMap], Any]) -> Saver:
    """A saver that finds the object here by what identifies it."""

    def save(restore: Restore, model: type[models.Model], record: dict[str, Any]) -> None:
        found = lookup(record["fields"], restore.keys)
        if found is not None:
            restore.keys.set(base_label(model), record["pk"], found)

    return save


def _content_type(fields: dict[str, Any], keys: KeyMap) -> int:
    try:
        return ContentType.objects.get_by_natural_key(fields["app_label"], fields["model"]).pk
    except ContentType.DoesNotExist:
        raise BackupError(
            f"the archive holds {fields['app_label']}.{fields['model']}, a model this install "
            "does not have"
        ) from None


def _permission(fields: dict[str, Any], keys: KeyMap) -> int | None:
    content_type = keys(base_label(ContentType), fields["content_type"])
    return (
        Permission.objects.filter(content_type=content_type, codename=fields["codename"])
        .values_list("pk", flat=True)
        .first()
    )


def _locale(fields: dict[str, Any], keys: KeyMap) -> int:
    found = Locale.objects.filter(language_code=fields["language_code"]).first()
    return (found or Locale.get_default()).pk


def _tag(fields: dict[str, Any], keys: KeyMap) -> int:
    return (
        Tag.objects.filter(name=fields["name"]).first() or Tag.objects.create(name=fields["name"])
    ).pk


SAVERS: dict[type[models.Model], Saver] = {
    ContentType: _identity(_content_type),
    Permission: _identity(_permission),
    Locale: _identity(_locale),
    Tag: _identity(_tag),
    Group: save_group,
    Collection: save_collection,
    Site: save_site,
}


def saver_for(model: type[models.Model]) -> Saver:
    if issubclass(model, Page):
        return save_page
    if model is get_user_model():
        return save_user
    return SAVERS.get(model, save_record)
